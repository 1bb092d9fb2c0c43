package io.upki.cli.renewal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.cli.keys.KeyMaker;
import io.upki.cli.transport.PemTls;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * One self-renewal at the RA ({@code POST /api/client/renew}, docs/RA-CORE.md): the pair's own certificate
 * authenticates the TLS connection, a key made here signs a CSR for the same subject (the RA keeps the
 * subject, names and profile), and only the CSR leaves this machine. The answer is checked to certify that
 * key and to come from the CA before it replaces the pair.
 */
public final class SelfRenewal {
    private final URI ra;
    private final Path caCert;
    private final Duration timeout;
    private final SecureRandom random;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Why a renewal failed; {@code transientFailure} when the RA was unreachable or answered 5xx. */
    public static final class Failure extends Exception {
        private final boolean transientFailure;

        Failure(String message, boolean transientFailure, Throwable cause) {
            super(message, cause);
            this.transientFailure = transientFailure;
        }

        public boolean transientFailure() {
            return transientFailure;
        }
    }

    public SelfRenewal(URI ra, Path caCert, Duration timeout, SecureRandom random) {
        String base = ra.toString();
        this.ra = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.caCert = caCert;
        this.timeout = timeout;
        this.random = random;
    }

    public URI ra() {
        return ra;
    }

    /** Renews the pair now and installs the new one; returns the new certificate. */
    public X509Certificate renew(WatchedPair pair) throws Failure {
        WatchedPair.Loaded current;
        try {
            current = pair.load();
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure("cannot read the pair " + pair + ": " + e.getMessage(), false, e);
        }
        KeyPair fresh;
        try {
            fresh = KeyMatch.like(current.certificate().getPublicKey(), random);
        } catch (GeneralSecurityException e) {
            throw new Failure("cannot make a new key like " + pair.key() + ": " + e.getMessage(), false, e);
        }
        // The subject only: the RA refuses a CSR whose names differ and copies the old SANs itself.
        X500Name subject = X500Name.getInstance(current.certificate().getSubjectX500Principal().getEncoded());
        String csr = new KeyMaker(random).csr(fresh, subject, List.of(), null);
        HttpResponse<String> response = post(pair, mapper.createObjectNode().put("csr", csr).toString());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new Failure("the RA answered " + response.statusCode() + ": " + message(response.body()),
                    response.statusCode() >= 500 || response.statusCode() == 429, null);
        }
        String certPem;
        X509Certificate renewed;
        try {
            certPem = mapper.readTree(response.body()).path("certificate").asText();
            renewed = Pem.parseCertificate(certPem);
            X509Certificate ca = Pem.parseCertificate(Files.readString(caCert));
            renewed.verify(ca.getPublicKey());
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            throw new Failure("the RA's answer is not a certificate from " + caCert + ": " + e.getMessage(), false, e);
        }
        if (!renewed.getPublicKey().equals(fresh.getPublic())) {
            throw new Failure("the RA's certificate does not certify the key made here", false, null);
        }
        try {
            pair.install(Pem.encodePrivateKey(fresh.getPrivate(), null), certPem);
        } catch (IOException e) {
            throw new Failure("cannot write the new pair " + pair + ": " + e.getMessage(), false, e);
        }
        return renewed;
    }

    private HttpResponse<String> post(WatchedPair pair, String body) throws Failure {
        HttpClient http;
        try {
            http = HttpClient.newBuilder().sslContext(PemTls.context(pair.cert(), pair.key(), caCert))
                    .connectTimeout(timeout).build();
        } catch (RuntimeException e) {
            throw new Failure("cannot use " + pair + " for TLS: " + e.getMessage(), false, e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(ra + "/api/client/renew")).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("the RA at " + ra + " is unreachable: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", true, e);
        }
    }

    private String message(String body) {
        try {
            JsonNode json = mapper.readTree(body);
            return json.path("message").asText(body);
        } catch (IOException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }
}
