package io.upki.pki.x509;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * Object identifiers upki writes into certificates. The arc is a UUID OID (ITU-T X.667, {@code 2.25.<uuid>}),
 * which needs no registration and cannot collide with anyone else's.
 *
 * <p>A role is shown as a certificatePolicies entry (RFC 5280 section 4.2.1.4) that only the CA writes:
 * {@code sign} copies subject and SANs from a CSR and nothing else, so a requester can never claim one.
 */
public final class UpkiOids {
    private UpkiOids() {
    }

    /** upki's arc. */
    public static final ASN1ObjectIdentifier ARC = new ASN1ObjectIdentifier("2.25.131430128141759213997022715104330987499");
    /** Roles given by profile. */
    public static final ASN1ObjectIdentifier ROLES = ARC.branch("1");
    /** Issued under the {@code admin} profile: an administrator of the RA. */
    public static final ASN1ObjectIdentifier ROLE_ADMIN = ROLES.branch("1");
    /** An auth-sidecar's assertion-signing identity (FORWARD-AUTH.md section 3). */
    public static final ASN1ObjectIdentifier ROLE_ASSERTION_SIGNER = ROLES.branch("2");
}
