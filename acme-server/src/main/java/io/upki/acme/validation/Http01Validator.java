package io.upki.acme.validation;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * http-01 (RFC 8555 section 8.3): {@code GET http://<identifier>:<port>/.well-known/acme-challenge/<token>}
 * must answer 200 with the key authorization (trailing whitespace ignored). One plain HTTP/1.1 request
 * on a socket we open ourselves, so the Host header is the identifier while the connection goes to
 * the resolved address, with bounded time and size. Redirects are not followed, and only addresses
 * the {@link NetworkPolicy} permits are connected to.
 */
public final class Http01Validator implements ChallengeValidator {
    private static final int MAX_RESPONSE = 16 * 1024;
    private final Resolver resolver;
    private final NetworkPolicy networks;
    private final int port;
    private final Duration timeout;
    private final Deadline.Ticker ticker;

    public Http01Validator(Resolver resolver, NetworkPolicy networks, int port, Duration timeout) {
        this(resolver, networks, port, timeout, Deadline.Ticker.SYSTEM);
    }

    /** With the time source the validation's deadline is measured on (a test's, to reach it without waiting). */
    Http01Validator(Resolver resolver, NetworkPolicy networks, int port, Duration timeout, Deadline.Ticker ticker) {
        this.resolver = resolver;
        this.networks = networks;
        this.port = port;
        this.timeout = timeout;
        this.ticker = ticker;
    }

    @Override
    public void validate(Identifier identifier, String token, String keyAuthorization) throws AcmeProblem {
        List<InetAddress> addresses = networks.permitted(identifier, resolver);
        String host = identifier.isIp() && addresses.get(0) instanceof Inet6Address
                ? "[" + identifier.value() + "]" : identifier.value();
        String request = "GET /.well-known/acme-challenge/" + token + " HTTP/1.1\r\n"
                + "Host: " + host + (port == 80 ? "" : ":" + port) + "\r\n"
                + "User-Agent: upki-acme\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        Deadline deadline = Deadline.after(timeout, ticker, () -> "http-01 validation took longer than its time limit");
        byte[] response = SocketProbe.first(addresses, port, deadline,
                "cannot fetch the http-01 response from " + identifier.value(), socket -> {
                    OutputStream out = socket.getOutputStream();
                    out.write(request.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return readAll(socket, deadline);
                });
        check(HttpAnswer.parse(response), keyAuthorization, identifier.value());
    }

    private static void check(HttpAnswer response, String keyAuthorization, String name) throws AcmeProblem {
        if (response == null) {
            throw new AcmeProblem(AcmeError.INCORRECT_RESPONSE, "the answer of " + name + " is not an HTTP response");
        }
        if (response.status() != 200) {
            throw new AcmeProblem(AcmeError.INCORRECT_RESPONSE, name + " answered HTTP " + response.status()
                    + " to the http-01 request");
        }
        // RFC 8555 section 8.3: the server SHOULD ignore whitespace characters at the end of the body.
        String body = new String(response.body(), StandardCharsets.US_ASCII).stripTrailing();
        if (!body.equals(keyAuthorization)) {
            throw new AcmeProblem(AcmeError.INCORRECT_RESPONSE, "the key authorization served by " + name
                    + " does not match the challenge");
        }
    }

    private static byte[] readAll(Socket socket, Deadline deadline) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while (true) {
            socket.setSoTimeout(deadline.remainingMillis());
            if ((n = in.read(chunk)) <= 0) {
                break;
            }
            buf.write(chunk, 0, n);
            if (buf.size() > MAX_RESPONSE) {
                break;
            }
            HttpAnswer partial = HttpAnswer.parse(buf.toByteArray());
            if (partial != null && partial.complete()) {
                break;
            }
        }
        return buf.toByteArray();
    }
}
