package io.upki.acme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import io.upki.acme.validation.NetworkPolicy;
import org.junit.jupiter.api.Test;

/** New-order identifiers: DNS names (with wildcards) and IP addresses (RFC 8738), normalised; the rest refused. */
class AcmeIdentifiersTest {
    static final NetworkPolicy LOOPBACK_ALLOWED = NetworkPolicy.parse("127.0.0.0/8,::1/128");
    static AcmeError refusal(String type, String value) {
        try {
            Identifiers.normalise(type, value, LOOPBACK_ALLOWED);
            return null;
        } catch (AcmeProblem p) {
            return p.type();
        }
    }

    @Test
    void namesAndAddressesAreNormalised() throws Exception {
        assertThat(Identifiers.normalise("dns", "WWW.Example.Internal", LOOPBACK_ALLOWED)).isEqualTo(new Identifier("dns", "www.example.internal"));
        assertThat(Identifiers.normalise("dns", "*.example.internal", LOOPBACK_ALLOWED).value()).isEqualTo("*.example.internal");
        assertThat(Identifiers.normalise("ip", "::1", LOOPBACK_ALLOWED).value()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(Identifiers.parse(new ObjectMapper().readTree("[{\"type\":\"dns\",\"value\":\"a.example\"},"
                + "{\"type\":\"dns\",\"value\":\"A.example\"}]"), LOOPBACK_ALLOWED)).hasSize(1);
    }

    @Test
    void whatCannotBeCertifiedIsRefused() {
        assertThat(refusal("dns", "localhost")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("dns", "a.localhost")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("dns", "a..example")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("dns", "a.example.")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("dns", "*.*.example")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("dns", "a*.example")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("dns", "-a.example")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("dns", "x".repeat(64) + ".example")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("dns", "192.0.2.1")).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusal("ip", "host.example")).isEqualTo(AcmeError.MALFORMED);
        assertThat(refusal("email", "a@b.example")).isEqualTo(AcmeError.UNSUPPORTED_IDENTIFIER);
    }

    @Test
    void addressesOutsideTheAllowedNetworksAreRejected() throws Exception {
        NetworkPolicy publicOnly = NetworkPolicy.publicOnly();
        for (String ip : new String[] {"127.0.0.1", "127.1.2.3", "0.0.0.0", "0.1.2.3", "169.254.169.254", "224.0.0.1",
                "239.255.255.250", "255.255.255.255", "240.0.0.1", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.0.1", "100.64.0.1", "100.127.255.255", "::", "::1", "fe80::1", "ff02::1", "fc00::1", "fd12:3456::1",
                "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001:db8::1"}) {
            try {
                Identifiers.normalise("ip", ip, publicOnly);
                throw new AssertionError(ip + " was accepted");
            } catch (AcmeProblem p) {
                assertThat(p.type()).as(ip).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
            }
        }
        for (String ip : new String[] {"8.8.8.8", "172.32.0.1", "100.128.0.1", "192.0.43.10", "2606:4700::1111"}) {
            assertThat(Identifiers.normalise("ip", ip, publicOnly).value()).as(ip).isNotBlank();
        }
        // A named network allows its private addresses, and loopback only when named too.
        NetworkPolicy tenNet = NetworkPolicy.parse("10.0.0.0/8, fd00::/8");
        assertThat(Identifiers.normalise("ip", "10.9.8.7", tenNet).value()).isEqualTo("10.9.8.7");
        assertThat(Identifiers.normalise("ip", "fd00::5", tenNet).value()).isEqualTo("fd00:0:0:0:0:0:0:5");
        assertThat(refusalWith("127.0.0.1", tenNet)).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
        assertThat(refusalWith("192.168.1.1", tenNet)).isEqualTo(AcmeError.REJECTED_IDENTIFIER);
    }

    @Test
    void badNetworksAreRefusedAtStart() {
        for (String bad : new String[] {"10.0.0.0/33", "10.0.0/8", "example.internal/8", "::1/129", "10.0.0.0/x"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> NetworkPolicy.parse(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("acme-allow-networks");
        }
    }

    static AcmeError refusalWith(String ip, NetworkPolicy networks) {
        try {
            Identifiers.normalise("ip", ip, networks);
            return null;
        } catch (AcmeProblem p) {
            return p.type();
        }
    }
}
