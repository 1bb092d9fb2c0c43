package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared {@code --ca} option: parsing of one CA and of a pair, the derived ports, and each refusal. */
class CaEndpointOptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        CaEndpointOptions ca = new CaEndpointOptions();
    }

    private static CaEndpointOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.ca;
    }

    @Test
    void aPairGivesOperationsRegistrationAndEventsPerCaInOrder() {
        CaEndpoints cas = parse("--ca", "tcp://a.example:5000, tcp://10.0.0.2:6000").endpoints("tcp://unused:1");

        assertThat(cas.operations()).containsExactly("tcp://a.example:5000", "tcp://10.0.0.2:6000");
        assertThat(cas.registration()).containsExactly("tcp://a.example:5001", "tcp://10.0.0.2:6001");
        assertThat(cas.events()).containsExactly("tcp://a.example:5002", "tcp://10.0.0.2:6002");
        assertThat(cas.operationsList()).isEqualTo("tcp://a.example:5000,tcp://10.0.0.2:6000");
        assertThat(cas.registrationList()).isEqualTo("tcp://a.example:5001,tcp://10.0.0.2:6001");
        assertThat(ZmqCaClient.parseEndpoints(cas.operationsList())).isEqualTo(cas.operations());
    }

    @Test
    void anIpv6HostKeepsItsBrackets() {
        assertThat(CaEndpoints.parse("tcp://[::1]:5000", "--ca").events()).containsExactly("tcp://[::1]:5002");
    }

    @Test
    void aComposeServiceNameWithAnUnderscoreIsAHost() {
        assertThat(CaEndpoints.parse("tcp://upki_ca_1:5000", "--ca").registration())
                .containsExactly("tcp://upki_ca_1:5001");
    }

    @Test
    void withoutTheOptionTheFallbackIsUsed() {
        CaEndpointOptions options = parse();
        // The default reads UPKI_CA; only meaningful when the test's environment does not set it.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(CaEndpointOptions.ENV) == null,
                "UPKI_CA is set in this environment");

        assertThat(options.given()).isNull();
        assertThat(options.endpoints("tcp://127.0.0.1:5000").operations()).containsExactly("tcp://127.0.0.1:5000");
        assertThat(CaEndpoints.of("ca", 7000).registration()).containsExactly("tcp://ca:7001");
    }

    @Test
    void anEmptyElementIsRefused() {
        assertThatThrownBy(() -> parse("--ca", "tcp://a:5000,,tcp://b:5000").endpoints(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ca (UPKI_CA): 'tcp://a:5000,,tcp://b:5000' has an empty element");
        assertThatThrownBy(() -> parse("--ca", "tcp://a:5000,").endpoints(null))
                .hasMessageContaining("has an empty element");
    }

    @Test
    void anotherSchemeIsRefused() {
        assertThatThrownBy(() -> parse("--ca", "tcp://a:5000,ipc:///tmp/ca").endpoints(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ipc:///tmp/ca' is not tcp://host:port (only tcp)");
        assertThatThrownBy(() -> parse("--ca", "a:5000").endpoints(null))
                .hasMessageContaining("is not tcp://host:port");
    }

    @Test
    void aMissingPortOrHostIsRefused() {
        assertThatThrownBy(() -> parse("--ca", "tcp://a").endpoints(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tcp://a' needs a host and a port");
        assertThatThrownBy(() -> parse("--ca", "tcp://:5000").endpoints(null))
                .hasMessageContaining("needs a host and a port");
        assertThatThrownBy(() -> parse("--ca", "tcp://[::1]").endpoints(null))
                .hasMessageContaining("needs a host and a port");
        assertThatThrownBy(() -> parse("--ca", "tcp://a:50x0").endpoints(null))
                .hasMessageContaining("has no numeric port");
    }

    @Test
    void aPortWithoutRoomForRegistrationAndEventsIsRefused() {
        assertThatThrownBy(() -> parse("--ca", "tcp://a:65534").endpoints(null))
                .hasMessageContaining("port 65534 leaves no room for registration (+1) and events (+2)");
        assertThatThrownBy(() -> parse("--ca", "tcp://a:0").endpoints(null))
                .hasMessageContaining("port 0 leaves no room");
    }

    @Test
    void aPathOrQueryIsRefused() {
        assertThatThrownBy(() -> parse("--ca", "tcp://a:5000/x").endpoints(null))
                .hasMessageContaining("must be only tcp://host:port");
    }

    @Test
    void anEmptyValueIsRefusedInOneLine() {
        assertThatThrownBy(() -> CaEndpoints.parse(" ", "--ca"))
                .hasMessage("--ca: empty; give tcp://host:port[,tcp://host:port]");
        assertThatThrownBy(() -> new CaEndpoints(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
