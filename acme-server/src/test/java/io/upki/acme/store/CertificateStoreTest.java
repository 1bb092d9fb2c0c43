package io.upki.acme.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issued certificates: found by id and by serial; revoked once, the first time kept. */
class CertificateStoreTest extends EngineSuite {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aCertificateIsFoundBySerialAndRevokedOnce() {
        try (AcmeStore store = open()) {
            BigInteger serial = new BigInteger("7fffffffffffffffffffffffffff01", 16);
            store.certificates().insert(new IssuedCertificate("cert", "o", "acct", serial, "PEM", NOW, NOW.plusSeconds(60), null));
            assertThat(store.certificates().get("cert").orElseThrow().serial()).isEqualTo(serial);
            assertThat(store.certificates().bySerial(serial).orElseThrow().id()).isEqualTo("cert");
            assertThat(store.certificates().bySerial(BigInteger.TWO)).isEmpty();
            store.certificates().markRevoked("cert", NOW.plusSeconds(5));
            store.certificates().markRevoked("cert", NOW.plusSeconds(9));
            IssuedCertificate revoked = store.certificates().get("cert").orElseThrow();
            assertThat(revoked.revoked()).isTrue();
            assertThat(revoked.revokedAt()).isEqualTo(NOW.plusSeconds(5));
        }
    }
}
