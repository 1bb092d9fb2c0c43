package io.upki.acme.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The http-01 response reader: Content-Length, chunked, until close, and garbage. */
class AcmeHttpAnswerTest {
    static HttpAnswer parse(String raw) {
        return HttpAnswer.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void framings() {
        HttpAnswer cl = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(cl.status()).isEqualTo(200);
        assertThat(new String(cl.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(cl.complete()).isTrue();
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello").complete()).isFalse();
        HttpAnswer chunked = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\n\r\n");
        assertThat(new String(chunked.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(chunked.complete()).isTrue();
        HttpAnswer close = parse("HTTP/1.0 404 Not Found\r\n\r\nnope");
        assertThat(close.status()).isEqualTo(404);
        assertThat(close.complete()).isFalse();
    }

    @Test
    void notHttpIsNull() {
        assertThat(parse("SSH-2.0-OpenSSH\r\n\r\n")).isNull();
        assertThat(parse("HTTP/1.1 abc\r\n\r\n")).isNull();
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 5")).isNull();
    }

    @Test
    void reverseNamesForTlsAlpnOnAddresses() {
        assertThat(Addresses.reverseName(Addresses.literal("127.0.0.1"))).isEqualTo("1.0.0.127.in-addr.arpa");
        assertThat(Addresses.reverseName(Addresses.literal("2001:db8::1")))
                .isEqualTo("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
        assertThat(Addresses.isLiteral("example.internal")).isFalse();
    }
}
