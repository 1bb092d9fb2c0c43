package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigInteger;

/**
 * One message of the CA's event feed (PUB socket, ops port + 2), a single JSON frame:
 * {@code {"event":"crl","number":N}}, {@code {"event":"revoked","serial":S,"reason":R}} or
 * {@code {"event":"unrevoked","serial":S}}. Events are hints: a consumer always fetches and verifies
 * the CRL itself, so a lost or forged event can delay an update but never change a decision.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaEvent(String event, BigInteger number, BigInteger serial, String reason) {
    public static final String CRL = "crl";
    public static final String REVOKED = "revoked";
    public static final String UNREVOKED = "unrevoked";

    public static CaEvent crl(BigInteger number) {
        return new CaEvent(CRL, number, null, null);
    }

    public static CaEvent revoked(BigInteger serial, String reason) {
        return new CaEvent(REVOKED, null, serial, reason);
    }

    public static CaEvent unrevoked(BigInteger serial) {
        return new CaEvent(UNREVOKED, null, serial, null);
    }
}
