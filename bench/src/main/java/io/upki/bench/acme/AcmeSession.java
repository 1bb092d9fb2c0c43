package io.upki.bench.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An ACME account session with an ES256 key: JWS signing with BouncyCastle (plain r||s signatures,
 * RFC 7518 section 3.4), nonces carried from each response to the next request, POST-as-GET.
 */
final class AcmeSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** BENCH_ACME_TRACE=1 prints each request's time to stderr (to see where a server spends it). */
    /** Longer than any answer takes here, even under load; an answer that never comes must not hang the run. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final boolean TRACE = "1".equals(System.getenv("BENCH_ACME_TRACE"));
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A response. */
    record Reply(int status, String body, String location) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private final HttpClient http;
    private final JsonNode directory;
    private final KeyPair key;
    private final String jwk;
    private final String thumbprint;
    private String kid;
    private String nonce;
    private long requests;
    /** Each request of the current order: its resource (ids left out), status and milliseconds. */
    private final java.util.List<String> steps = new java.util.ArrayList<>();

    private AcmeSession(HttpClient http, JsonNode directory, KeyPair key) throws Exception {
        this.http = http;
        this.directory = directory;
        this.key = key;
        ECPublicKey pub = (ECPublicKey) key.getPublic();
        // RFC 7638: the members in lexicographic order, no whitespace.
        this.jwk = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + B64.encodeToString(unsigned(pub.getW().getAffineX()))
                + "\",\"y\":\"" + B64.encodeToString(unsigned(pub.getW().getAffineY())) + "\"}";
        this.thumbprint = B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(jwk.getBytes(StandardCharsets.UTF_8)));
    }

    static AcmeSession open(String directoryUrl, Path trust) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (var cert : Pem.parseCertificates(Files.readString(trust))) {
            ks.setCertificateEntry("ca" + i++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode dir = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(directoryUrl)).timeout(ANSWER_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        AcmeSession s = new AcmeSession(http, dir, g.generateKeyPair());
        Reply account = s.post(s.url("newAccount"), "{\"termsOfServiceAgreed\":true}");
        if (account.status() != 201 && account.status() != 200) {
            throw new IllegalStateException("newAccount: HTTP " + account.status() + " " + account.body());
        }
        s.kid = account.location();
        return s;
    }

    String url(String name) {
        return directory.path(name).asText();
    }

    String thumbprint() {
        return thumbprint;
    }

    long requests() {
        return requests;
    }

    /** POST (POST-as-GET when payload is null), retrying once on badNonce as RFC 8555 section 6.5 allows. */
    Reply post(String url, String payload) throws Exception {
        for (int attempt = 0; ; attempt++) {
            if (nonce == null) {
                requests++;
                nonce = http.send(HttpRequest.newBuilder(URI.create(url("newNonce"))).timeout(ANSWER_TIMEOUT).method("HEAD",
                        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                        .headers().firstValue("Replay-Nonce").orElseThrow();
            }
            long s0 = System.nanoTime();
            ObjectNode header = JSON.createObjectNode().put("alg", "ES256").put("nonce", nonce).put("url", url);
            if (kid == null) {
                header.set("jwk", JSON.readTree(jwk));
            } else {
                header.put("kid", kid);
            }
            String p = B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8));
            String body = B64.encodeToString((payload == null ? "" : payload).getBytes(StandardCharsets.UTF_8));
            Signature sig = Signature.getInstance("SHA256withPLAIN-ECDSA", AcmeBench.BC);
            sig.initSign(key.getPrivate());
            sig.update((p + "." + body).getBytes(StandardCharsets.US_ASCII));
            String jws = JSON.createObjectNode().put("protected", p).put("payload", body)
                    .put("signature", B64.encodeToString(sig.sign())).toString();
            requests++;
            long t0 = System.nanoTime();
            if (TRACE) {
                System.err.printf("%7.2f ms client: sign%n", (t0 - s0) / 1e6);
            }
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/jose+json")
                        .timeout(ANSWER_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(jws)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                // An answer once never came (Pebble had logged the request as handled): a POST-as-GET is safe
                // to send again, anything else ends the run with this message instead of waiting forever.
                nonce = null;
                if (payload == null && attempt < 3) {
                    System.err.printf("no answer from %s within %d s: asked again%n", url, ANSWER_TIMEOUT.toSeconds());
                    continue;
                }
                throw new IllegalStateException("no answer from " + url + " within " + ANSWER_TIMEOUT.toSeconds() + " s", e);
            }
            nonce = r.headers().firstValue("Replay-Nonce").orElse(null);
            steps.add(String.format(java.util.Locale.ROOT, "%s %d %.1f", resource(url), r.statusCode(),
                    (System.nanoTime() - t0) / 1e6));
            if (TRACE) {
                System.err.printf("%7.2f ms %d %s%n", (System.nanoTime() - t0) / 1e6, r.statusCode(),
                        url.replaceAll("^https?://[^/]+", ""));
            }
            if (r.statusCode() == 400 && r.body().contains("badNonce") && attempt < 3) {
                continue;
            }
            if (r.statusCode() >= 400) {
                throw new IllegalStateException(url + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null));
        }
    }

    /** The requests since the last call, as "resource status ms" (to see where a slow order spent its time). */
    java.util.List<String> takeSteps() {
        java.util.List<String> out = java.util.List.copyOf(steps);
        steps.clear();
        return out;
    }

    /** A URL's path with the ids left out: /acme/order/3kq9.../finalize becomes /acme/order/~/finalize. */
    static String resource(String url) {
        return URI.create(url).getPath().replaceAll("/[A-Za-z0-9_-]{10,}", "/~");
    }

    /** POST-as-GET until {@code status} (2 ms apart); fails on invalid or after 30 s. */
    JsonNode pollUntil(String url, String status) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode o = post(url, null).json();
            String s = o.path("status").asText();
            if (s.equals(status)) {
                return o;
            }
            if (s.equals("invalid") || System.nanoTime() > end) {
                throw new IllegalStateException(url + " is " + s + ": " + o);
            }
            Thread.sleep(2);
        }
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }
}
