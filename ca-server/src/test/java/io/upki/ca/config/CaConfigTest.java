package io.upki.ca.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config records validate at start-up and name the offending setting. */
class CaConfigTest {
    @TempDir
    Path dir;

    @Test
    void crlValidityIsDaysOrIsoDuration() {
        assertThat(CaConfig.parseCrlValidity("7")).isEqualTo(Duration.ofDays(7));
        assertThat(CaConfig.parseCrlValidity("PT12H")).isEqualTo(Duration.ofHours(12));
        assertThat(CaConfig.parseCrlValidity("P2D")).isEqualTo(Duration.ofDays(2));
        assertThatThrownBy(() -> CaConfig.parseCrlValidity("soon")).hasMessageStartingWith("crl_validity:");
    }

    @Test
    void invalidSettingsAreNamed() {
        assertThatThrownBy(() -> new CaConfig(dir, "127.0.0.1", 70000, 5001, 5002, Duration.ofDays(7), null))
                .hasMessageStartingWith("port:");
        assertThatThrownBy(() -> new CaConfig(dir, " ", 5000, 5001, 5002, Duration.ofDays(7), null)).hasMessageStartingWith("host:");
        assertThatThrownBy(() -> new CaConfig(dir, "127.0.0.1", 5000, 5001, 5002, Duration.ofSeconds(1), null))
                .hasMessageStartingWith("crl_validity:");
        assertThatThrownBy(() -> new CaConfig(dir, "127.0.0.1", 5000, 5001, 5002, Duration.ofDays(7), "ftp://x"))
                .hasMessageStartingWith("crl_url:");
        assertThatThrownBy(() -> new CaConfig(dir, "127.0.0.1", 5000, 5000, 5002, Duration.ofDays(7), null))
                .hasMessageStartingWith("registration port:");
        assertThat(new CaConfig(dir, "::1", 5000, 5001, 5002, Duration.ofDays(7), "").endpoint(5000)).isEqualTo("tcp://[::1]:5000");
        assertThatThrownBy(() -> new CaConfig(dir, "127.0.0.1", 5000, 5001, 5002, Duration.ofDays(7), null, "https://o/ocsp"))
                .hasMessageStartingWith("ocsp_url:");
        assertThat(new CaConfig(dir, "127.0.0.1", 5000, 5001, 5002, Duration.ofDays(7), null, " ").ocspUrl()).isNull();
    }

    @Test
    void configFileReadsUpkisKeysAndRefusesUnknownOnes() throws Exception {
        Path file = dir.resolve("config.yml");
        Files.writeString(file, ConfigFile.template("rsa", "PT6H", "http://crl.example:8081/crl.der"));
        ConfigFile config = ConfigFile.read(file);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(5000);
        assertThat(config.crlValidity()).isEqualTo("PT6H");
        assertThat(config.crlUrl()).isEqualTo("http://crl.example:8081/crl.der");
        assertThat(config.ocspUrl()).isEmpty();
        Files.writeString(file, "ocsp_url: http://ocsp.example:8081/ocsp\n");
        assertThat(ConfigFile.read(file).ocspUrl()).isEqualTo("http://ocsp.example:8081/ocsp");
        Files.writeString(file, "prot: 5000\n");
        assertThatThrownBy(() -> ConfigFile.read(file)).hasMessageContaining("unknown setting 'prot'");
        Files.writeString(file, "port: many\n");
        assertThatThrownBy(() -> ConfigFile.read(file)).hasMessageContaining("port must be a number");
        assertThat(ConfigFile.read(dir.resolve("absent.yml")).port()).isNull();
    }
}
