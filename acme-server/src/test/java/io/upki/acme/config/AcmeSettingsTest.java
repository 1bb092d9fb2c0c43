package io.upki.acme.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ACME settings refuse what cannot work, naming the flag. */
class AcmeSettingsTest {
    static AcmeSettings with(int http, String dns, Map<String, byte[]> eab, Duration order, String base) {
        return new AcmeSettings(true, "server", http, 443, dns, eab, order, Duration.ofHours(1), Duration.ofHours(1), base);
    }

    @Test
    void defaultsAreTheRfcPortsAndTheServerProfile() {
        AcmeSettings d = AcmeSettings.defaults();
        assertThat(d.profile()).isEqualTo("server");
        assertThat(d.httpPort()).isEqualTo(80);
        assertThat(d.tlsPort()).isEqualTo(443);
        assertThat(d.dns()).isNull();
        assertThat(d.externalAccountRequired()).isFalse();
    }

    @Test
    void badValuesNameTheirFlag() {
        assertThatThrownBy(() -> with(0, null, Map.of(), Duration.ofHours(1), null)).hasMessageStartingWith("acme-http-port");
        assertThatThrownBy(() -> with(80, "resolver", Map.of(), Duration.ofHours(1), null)).hasMessageStartingWith("acme-dns");
        assertThatThrownBy(() -> with(80, "127.0.0.1:99999", Map.of(), Duration.ofHours(1), null)).hasMessageStartingWith("acme-dns");
        assertThatThrownBy(() -> with(80, null, Map.of("k", new byte[16]), Duration.ofHours(1), null))
                .hasMessageStartingWith("acme-eab");
        assertThatThrownBy(() -> with(80, null, Map.of(), Duration.ZERO, null)).hasMessageStartingWith("acme-order-lifetime");
        assertThatThrownBy(() -> with(80, null, Map.of(), Duration.ofDays(31), null)).hasMessageStartingWith("acme-order-lifetime");
        assertThatThrownBy(() -> with(80, null, Map.of(), Duration.ofHours(1), "https://ra.example/acme"))
                .hasMessageStartingWith("acme-base-url");
        assertThat(with(80, "[::1]:53", Map.of(), Duration.ofHours(1), "https://ra.example:8443").dns()).isEqualTo("[::1]:53");
    }

    @Test
    void eabKeysComeFromTheFlagOrAFile(@TempDir Path dir) throws Exception {
        String key = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA";
        assertThat(AcmeSettings.parseEab("a=" + key + ",b=" + key)).containsOnlyKeys("a", "b");
        Path file = Files.writeString(dir.resolve("eab"), "# team keys\nteam-a=" + key + "\n");
        assertThat(AcmeSettings.parseEab("@" + file)).containsOnlyKeys("team-a");
        assertThat(AcmeSettings.parseEab(null)).isEmpty();
        assertThatThrownBy(() -> AcmeSettings.parseEab("nokey")).hasMessageStartingWith("acme-eab");
        assertThatThrownBy(() -> AcmeSettings.parseEab("a=***")).hasMessageStartingWith("acme-eab");
    }
}
