package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigInteger;

/**
 * One message of the CA's event feed (PUB socket, ops port + 2), a single JSON frame:
 * {@code {"event":"crl","number":N}}, {@code {"event":"revoked","serial":S,"reason":R}} or
 * {@code {"event":"unrevoked","serial":S}}, and once a second {@code {"event":"state","number":N,"stale":B}}:
 * the current CRL's number and whether a revocation is not in it yet, so a subscriber that connected
 * after an event (a CA restart, a dropped connection) still learns of it within a second. Events are
 * hints: a consumer always fetches and verifies the CRL itself, so a lost or forged event can delay an
 * update but never change a decision. {@code {"event":"delta","number":N,"base":B,"delta":base64 DER}}
 * carries a delta CRL (RFC 5280 section 5.2.4) as soon as it is signed, before the complete CRL of
 * the same number; it is signed by the CA, so a consumer verifies it like any CRL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaEvent(String event, BigInteger number, BigInteger serial, String reason, Boolean stale,
                      BigInteger base, String delta) {
    public static final String CRL = "crl";
    public static final String STATE = "state";
    public static final String REVOKED = "revoked";
    public static final String UNREVOKED = "unrevoked";
    public static final String DELTA = "delta";

    /** An event without a delta CRL. */
    public CaEvent(String event, BigInteger number, BigInteger serial, String reason, Boolean stale) {
        this(event, number, serial, reason, stale, null, null);
    }

    /** Delta CRL {@code number} on complete CRL {@code base}, DER. */
    public static CaEvent delta(BigInteger number, BigInteger base, byte[] der) {
        return new CaEvent(DELTA, number, null, null, null, base, java.util.Base64.getEncoder().encodeToString(der));
    }

    public static CaEvent crl(BigInteger number) {
        return new CaEvent(CRL, number, null, null, null);
    }

    /** The heartbeat: the current CRL's number (null before the first) and whether revocations await a CRL. */
    public static CaEvent state(BigInteger number, boolean stale) {
        return new CaEvent(STATE, number, null, null, stale);
    }

    public static CaEvent revoked(BigInteger serial, String reason) {
        return new CaEvent(REVOKED, null, serial, reason, null);
    }

    public static CaEvent unrevoked(BigInteger serial) {
        return new CaEvent(UNREVOKED, null, serial, null, null);
    }
}
