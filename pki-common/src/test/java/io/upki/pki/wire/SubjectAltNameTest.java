package io.upki.pki.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SANs given as plain strings, as upki-ra's admin API sends them: the type each one is read as. */
class SubjectAltNameTest {

    @ParameterizedTest(name = "{0} -> {1}:{2}")
    @CsvSource(delimiter = '|', value = {
        "www.example.com|DNS|www.example.com",
        "*.apps.example.com|DNS|*.apps.example.com",
        "'  node1.example.com '|DNS|node1.example.com",
        "10.0.0.1|IP|10.0.0.1",
        "::1|IP|::1",
        "fe80::1|IP|fe80::1",
        "2001:db8::42|IP|2001:db8::42",
        "mail@example.com|EMAIL|mail@example.com",
        "https://x|URI|https://x",
        "spiffe://example.org/ns/web|URI|spiffe://example.org/ns/web",
        "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66|URI|urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
        "mailto:mail@example.com|URI|mailto:mail@example.com",
        // OpenSSL's explicit forms choose the type, whatever the value looks like.
        "DNS:www.example.com|DNS|www.example.com",
        "IP:10.0.0.1|IP|10.0.0.1",
        "email:mail@example.com|EMAIL|mail@example.com",
        "URI:https://x|URI|https://x",
        "dns:10.0.0.1|DNS|10.0.0.1",
        // Not a URI scheme (it has a dot): left as a DNS name, which validation then refuses.
        "host.example.com:443|DNS|host.example.com:443",
        "10.0.0.1/24|DNS|10.0.0.1/24"})
    void plainNamesGetTheirType(String name, String type, String value) {
        assertThat(SubjectAltName.inferred(name)).isEqualTo(new SubjectAltName(type, value));
    }
}
