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
 * update but never change a decision.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaEvent(String event, BigInteger number, BigInteger serial, String reason, Boolean stale) {
    public static final String CRL = "crl";
    public static final String STATE = "state";
    public static final String REVOKED = "revoked";
    public static final String UNREVOKED = "unrevoked";

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
