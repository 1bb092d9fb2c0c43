package io.upki.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.WireCodec;
import io.upki.ra.bootstrap.RaIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First start registers with the seed and keeps ra.key (0600), ra.crt, ca.crt; errors say what is wrong. */
class RaBootstrapTest {
    @TempDir
    Path dir;

    static ZmqCaClient registration(String endpoint) {
        return new ZmqCaClient(endpoint, t -> Duration.ofSeconds(30), 0, new WireCodec());
    }

    @Test
    void registersOnceThenReuses() throws Exception {
        try (TestCa ca = TestCa.start(dir.resolve("ca")); ZmqCaClient reg = registration(ca.registrationEndpoint())) {
            Path data = dir.resolve("ra");
            RaIdentity first = RaIdentity.loadOrRegister(data, reg, TestCa.SEED, "upki-ra", List.of("upki-ra", "127.0.0.1"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("ra.key")))).isEqualTo("rw-------");
            assertThat(first.certificate().getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                    .containsExactlyInAnyOrder("upki-ra", "127.0.0.1");
            assertThat(first.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
            // A later start needs neither the seed nor the CA.
            RaIdentity again = RaIdentity.loadOrRegister(data, reg, null, "upki-ra", List.of());
            assertThat(again.certificate()).isEqualTo(first.certificate());
        }
    }

    @Test
    void missingSeedWrongSeedAndUnreachableCaAreClear() throws Exception {
        try (TestCa ca = TestCa.start(dir.resolve("ca")); ZmqCaClient reg = registration(ca.registrationEndpoint())) {
            assertThatThrownBy(() -> RaIdentity.loadOrRegister(dir.resolve("a"), reg, null, "ra", List.of()))
                    .hasMessageContaining("UPKI_CA_SEED");
            assertThatThrownBy(() -> RaIdentity.loadOrRegister(dir.resolve("b"), reg, "wrong", "ra", List.of()))
                    .hasMessageContaining("refused the registration seed");
            assertThat(Files.exists(dir.resolve("b/ra.key"))).isFalse();
        }
        try (ZmqCaClient nowhere = new ZmqCaClient("tcp://127.0.0.1:1", t -> Duration.ofMillis(500), 0, new WireCodec())) {
            assertThatThrownBy(() -> RaIdentity.loadOrRegister(dir.resolve("c"), nowhere, "seed", "ra", List.of()))
                    .hasMessageContaining("is the CA running");
        }
    }
}
