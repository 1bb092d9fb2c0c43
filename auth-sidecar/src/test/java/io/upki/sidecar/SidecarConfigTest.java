package io.upki.sidecar;

import static io.upki.sidecar.testing.SidecarConfigParts.ANY_PORT;
import static io.upki.sidecar.testing.SidecarConfigParts.decisions;
import static io.upki.sidecar.testing.SidecarConfigParts.limits;
import static io.upki.sidecar.testing.SidecarConfigParts.trust;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.pki.options.CrlFeedSettings;
import io.upki.pki.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each part of a {@link SidecarConfig} refuses its own bad fields; the whole refuses bad combinations. */
class SidecarConfigTest {
    private static final Path ANCHOR = Path.of("ca.crt");
    private static final CrlFeedSettings CRLS = new CrlFeedSettings(List.of("crl.der"), null);
    private static final CrlFallbackSettings FALLBACK = new CrlFallbackSettings("tcp://ca:5002", Duration.ofSeconds(2));
    private static final SidecarConfig.Signing FILES = new SidecarConfig.Signing(Path.of("k.pem"), Path.of("c.pem"),
            null, null, null, null);

    private static SidecarConfig config(CrlFeedSettings crls, Path adminsFile, String ca) {
        return new SidecarConfig(ANY_PORT, trust(ANCHOR, null, crls),
                new SidecarConfig.Admins(adminsFile, ca, Duration.ofSeconds(10)), FILES, limits(1000),
                decisions("traefik", true), null);
    }

    @Test
    void eachPartRefusesItsOwnFields() {
        assertThatThrownBy(() -> trust(null, null, CRLS)).hasMessage("trust-anchor: required");
        assertThatThrownBy(() -> trust(ANCHOR, null, new CrlFeedSettings(List.of(), null)))
                .hasMessage("crl: at least one --crl is required (without a CRL every request is refused)");
        assertThatThrownBy(() -> new CrlFeedSettings(List.of("crl.der"), null, null, Duration.ofSeconds(30),
                Duration.ofSeconds(-1))).hasMessage("crl-grace: must not be negative");
        assertThatThrownBy(() -> new SidecarConfig.Limits(65536, 8, 1000, Duration.ofMinutes(6)))
                .hasMessage("assertion-ttl: must be between 1 s and 5 min");
        assertThatThrownBy(() -> new SidecarConfig.Limits(1024, 8, 1000, Duration.ofSeconds(30)))
                .hasMessage("max-header-bytes must be >= 4096 and max-certificates >= 1");
        assertThatThrownBy(() -> new SidecarConfig.Tls(Path.of("tls.crt"), null))
                .hasMessage("tls: --tls-cert and --tls-key go together");
        assertThatThrownBy(() -> new SidecarConfig.Signing(Path.of("k.pem"), null, null, null, null, null))
                .hasMessage("assertion key: --assertion-key and --assertion-cert go together");
    }

    @Test
    void theAdminListComesFromExactlyOnePlaceUnlessTheCaServesTheFallback() {
        String both = "admins: give exactly one of --admins FILE or --ca tcp://host:port "
                + "(both only with --ca-events, where --ca serves the CRL fallback)";
        assertThatThrownBy(() -> config(CRLS, null, null)).hasMessage(both);
        assertThatThrownBy(() -> config(CRLS, Path.of("admins.txt"), "tcp://ca:5000")).hasMessage(both);
        CrlFeedSettings withFallback = new CrlFeedSettings(List.of("crl.der"), null, FALLBACK);
        assertThat(config(withFallback, Path.of("admins.txt"), "tcp://ca:5000").usesCa()).isTrue();
        assertThatThrownBy(() -> config(withFallback, Path.of("admins.txt"), null))
                .hasMessage("ca-events: the CRL fallback needs --ca tcp://host:port (for get_crl)");
        assertThat(config(CRLS, Path.of("admins.txt"), null).usesCa()).isFalse();
    }

    @Test
    void aListenPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new SidecarConfig(new ProcessRunner.HostPort("127.0.0.1", 70000),
                trust(ANCHOR, null, CRLS), new SidecarConfig.Admins(Path.of("a.txt"), null, Duration.ofSeconds(10)), FILES,
                limits(1000), decisions("traefik", true), null)).hasMessage("listen: port 70000 out of range");
    }
}
