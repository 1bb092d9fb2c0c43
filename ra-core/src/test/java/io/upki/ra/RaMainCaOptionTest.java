package io.upki.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.pki.caclient.CaEndpoints;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ra-core start --ca} beside the deprecated {@code --ca-host/--ca-port}: which one wins, and refusals. */
class RaMainCaOptionTest {

    @BeforeEach
    void noCaVariables() {
        Assumptions.assumeTrue(System.getenv("UPKI_CA") == null && System.getenv("UPKI_CA_HOST") == null
                && System.getenv("UPKI_CA_PORT") == null, "UPKI_CA* is set in this environment");
    }

    private static RaMain.Start parse(String... args) {
        CommandLine line = new CommandLine(new RaMain());
        String[] all = new String[args.length + 1];
        all[0] = "start";
        System.arraycopy(args, 0, all, 1, args.length);
        line.parseArgs(all);
        return line.getSubcommands().get("start").getCommand();
    }

    private static RaConfig.CaLink config(RaMain.Start start) {
        return new RaConfig.CaLink(RaConfig.CaLink.endpoints(start.caEndpoints(), start.caHost, start.caPort),
                java.time.Duration.ofSeconds(5));
    }

    @Test
    void aCaListGivesOperationsAndRegistrationPerCa() {
        RaConfig.CaLink config = config(parse("--ca", "tcp://ca-a:5000,tcp://ca-b:5000"));

        assertThat(config.operations()).isEqualTo("tcp://ca-a:5000,tcp://ca-b:5000");
        assertThat(config.registration()).isEqualTo("tcp://ca-a:5001,tcp://ca-b:5001");
    }

    @Test
    void theDeprecatedHostAndPortStillWorkAndDefaultToTheLocalCa() {
        assertThat(config(parse("--ca-host", "ca.internal", "--ca-port", "6000")).registration())
                .isEqualTo("tcp://ca.internal:6001");
        assertThat(config(parse()).operations()).isEqualTo("tcp://127.0.0.1:5000");
    }

    @Test
    void theEventFeedIsDerivedFromTheCaListUnlessGivenOrTurnedOff() {
        Assumptions.assumeTrue(System.getenv("UPKI_CA_EVENTS") == null, "UPKI_CA_EVENTS is set in this environment");
        RaMain.Start pair = parse("--ca", "tcp://ca-a:5000,tcp://ca-b:6000");
        assertThat(pair.crlFallback(pair.caEndpoints()).caEvents()).isEqualTo("tcp://ca-a:5002,tcp://ca-b:6002");

        RaMain.Start given = parse("--ca", "tcp://ca-a:5000", "--ca-events", "tcp://feed:7002");
        assertThat(given.crlFallback(given.caEndpoints()).caEvents()).isEqualTo("tcp://feed:7002");
        RaMain.Start off = parse("--ca", "tcp://ca-a:5000", "--ca-events", "none");
        assertThat(off.crlFallback(off.caEndpoints())).isNull();
        // The deprecated spelling keeps its old meaning: no fallback unless --ca-events names it.
        RaMain.Start old = parse("--ca-host", "ca.internal", "--ca-port", "6000");
        assertThat(old.crlFallback(old.caEndpoints())).isNull();
    }

    @Test
    void caAndTheDeprecatedFlagsTogetherAreRefused() {
        assertThatThrownBy(() -> parse("--ca", "tcp://a:5000", "--ca-port", "6000").caEndpoints())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ca: give --ca or the deprecated --ca-host/--ca-port, not both");
    }

    @Test
    void aMalformedListIsRefusedInOneLine() {
        assertThatThrownBy(() -> parse("--ca", "udp://a:5000").caEndpoints())
                .hasMessage("--ca (UPKI_CA): 'udp://a:5000': 'udp://a:5000' is not tcp://host:port (only tcp)");
        CaEndpoints two = parse("--ca", "tcp://a:5000, tcp://b:5000").caEndpoints();
        assertThat(two.operations()).hasSize(2);
    }

    @Test
    void crlPollGraceAndAdminRefreshAreOptionsAsInTheSidecar() {
        RaConfig defaults = parse("--ca", "tcp://a:5000", "--crl", "http://p/crl.der")
                .config(io.upki.acme.config.AcmeSettings.defaults());
        assertThat(defaults.crls().poll()).hasSeconds(30);
        assertThat(defaults.crls().grace()).isZero();
        assertThat(defaults.adminRefresh()).hasSeconds(10);
        RaConfig given = parse("--ca", "tcp://a:5000", "--crl", "http://p/crl.der", "--crl-poll", "PT5S",
                "--crl-grace", "PT1H", "--admin-refresh", "PT1M").config(io.upki.acme.config.AcmeSettings.defaults());
        assertThat(given.crls().poll()).hasSeconds(5);
        assertThat(given.crls().grace()).hasHours(1);
        assertThat(given.adminRefresh()).hasMinutes(1);
        assertThat(given.ca().operations()).isEqualTo("tcp://a:5000");
        assertThatThrownBy(() -> parse("--ca", "tcp://a:5000", "--crl", "http://p/crl.der", "--crl-grace", "-PT1S")
                .config(io.upki.acme.config.AcmeSettings.defaults())).hasMessage("crl-grace: must not be negative");
        assertThatThrownBy(() -> parse("--ca", "tcp://a:5000", "--edge-tls").config(io.upki.acme.config.AcmeSettings.defaults()))
                .hasMessage("edge-tls: only for --mode edge (direct mode always serves HTTPS)");
    }
}
