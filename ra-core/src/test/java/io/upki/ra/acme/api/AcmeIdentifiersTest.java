package io.upki.ra.acme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.ra.acme.AcmeError;
import io.upki.ra.acme.AcmeProblem;
import io.upki.ra.acme.store.Identifier;
import org.junit.jupiter.api.Test;

/** New-order identifiers: DNS names (with wildcards) and IP addresses (RFC 8738), normalised; the rest refused. */
class AcmeIdentifiersTest {
    static AcmeError refusal(String type, String value) {
        try {
            Identifiers.normalise(type, value);
            return null;
        } catch (AcmeProblem p) {
            return p.type();
        }
    }

    @Test
    void namesAndAddressesAreNormalised() throws Exception {
        assertThat(Identifiers.normalise("dns", "WWW.Example.Internal")).isEqualTo(new Identifier("dns", "www.example.internal"));
        assertThat(Identifiers.normalise("dns", "*.example.internal").value()).isEqualTo("*.example.internal");
        assertThat(Identifiers.normalise("ip", "::1").value()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(Identifiers.parse(new ObjectMapper().readTree("[{\"type\":\"dns\",\"value\":\"a.example\"},"
                + "{\"type\":\"dns\",\"value\":\"A.example\"}]"))).hasSize(1);
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
}
