package io.upki.pki.trust;

import io.upki.pki.x509.UpkiRole;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/** What a leaf certificate must be good for (RFC 5280 section 4.2.1.12 EKU, upki roles). */
public enum Purpose {
    /** TLS client authentication: the EKU names clientAuth (or anyExtendedKeyUsage). */
    CLIENT_AUTH,
    /** Signing forward-auth assertions: the CA gave it upki's assertion-signer role. */
    ASSERTION_SIGNER,
    /** A proxy calling the sidecar or ra-core's edge listener: clientAuth and upki's proxy role. */
    PROXY_CLIENT;

    private static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU_OID = "2.5.29.37.0";

    boolean permits(X509Certificate leaf) {
        return switch (this) {
            case CLIENT_AUTH -> {
                try {
                    List<String> eku = leaf.getExtendedKeyUsage();
                    // Fail closed: a client certificate must say it is one.
                    yield eku != null && (eku.contains(CLIENT_AUTH_OID) || eku.contains(ANY_EKU_OID));
                } catch (CertificateParsingException e) {
                    yield false;
                }
            }
            case ASSERTION_SIGNER -> UpkiRole.ASSERTION_SIGNER.heldBy(leaf);
            case PROXY_CLIENT -> CLIENT_AUTH.permits(leaf) && UpkiRole.PROXY.heldBy(leaf);
        };
    }

}
