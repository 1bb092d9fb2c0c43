package io.upki.ra.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small ACME client for the tests that real clients cannot express: it signs JWSs with nimbus and
 * lets a test choose the nonce, the url header, jwk or kid, the algorithm, or break the signature.
 */
final class AcmeTestClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP response with its JSON body when there is one. */
    record Reply(int status, HttpResponse<String> raw) {
        JsonNode json() throws Exception {
            return JSON.readTree(raw.body());
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String type() throws Exception {
            return json().path("type").asText();
        }
    }

    /** What to do differently from a well-formed request. */
    record Tweaks(String nonce, String url, boolean useJwk, boolean breakSignature, String hmacAlg) {
        static Tweaks none() {
            return new Tweaks(null, null, false, false, null);
        }

        Tweaks nonce(String n) {
            return new Tweaks(n, url, useJwk, breakSignature, hmacAlg);
        }

        Tweaks url(String u) {
            return new Tweaks(nonce, u, useJwk, breakSignature, hmacAlg);
        }

        Tweaks jwk() {
            return new Tweaks(nonce, url, true, breakSignature, hmacAlg);
        }

        Tweaks broken() {
            return new Tweaks(nonce, url, useJwk, true, hmacAlg);
        }

        Tweaks hmac(String alg) {
            return new Tweaks(nonce, url, useJwk, breakSignature, alg);
        }
    }

    final HttpClient http;
    final JsonNode directory;
    JWK key;
    String kid;

    AcmeTestClient(HttpClient http, String directoryUrl, JWK key) throws Exception {
        this.http = http;
        this.key = key;
        this.directory = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(directoryUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static HttpClient trusting(Path caCrt) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", io.upki.pki.x509.Pem.parseCertificate(Files.readString(caCrt)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static ECKey ec256() throws Exception {
        return new ECKeyGenerator(Curve.P_256).generate();
    }

    static ECKey ec384() throws Exception {
        return new ECKeyGenerator(Curve.P_384).generate();
    }

    static RSAKey rsa2048() throws Exception {
        return new RSAKeyGenerator(2048).generate();
    }

    String url(String name) {
        return directory.path(name).asText();
    }

    String nonce() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url("newNonce"))).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding()).headers().firstValue("Replay-Nonce").orElseThrow();
    }

    Reply newAccount(ObjectNode payload) throws Exception {
        Reply r = post(url("newAccount"), payload.toString(), Tweaks.none().jwk());
        if (r.status() == 201 || r.status() == 200) {
            kid = r.header("Location");
        }
        return r;
    }

    Reply newAccount() throws Exception {
        return newAccount(JSON.createObjectNode().put("termsOfServiceAgreed", true));
    }

    /** POST-as-GET when payload is null. */
    Reply post(String url, String payload) throws Exception {
        return post(url, payload, Tweaks.none());
    }

    Reply post(String url, String payload, Tweaks t) throws Exception {
        String body = sign(url, payload, t);
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/jose+json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r);
    }

    String sign(String url, String payload, Tweaks t) throws Exception {
        return sign(key, kid, url, payload == null ? "" : payload, t.nonce() != null ? t.nonce() : nonce(), t);
    }

    /** A flattened JWS; {@code nonce} null omits the header (as keyChange's inner JWS may). */
    static String sign(JWK key, String kid, String url, String payload, String nonce, Tweaks t) throws Exception {
        JWSAlgorithm alg = key instanceof RSAKey ? JWSAlgorithm.RS256
                : ((ECKey) key).getCurve().equals(Curve.P_384) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES256;
        JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
        if (t.hmacAlg() != null) {
            alg = JWSAlgorithm.parse(t.hmacAlg());
            signer = new MACSigner(new byte[64]);
        }
        JWSHeader.Builder h = new JWSHeader.Builder(alg).customParam("url", t.url() != null ? t.url() : url);
        if (nonce != null) {
            h.customParam("nonce", nonce);
        }
        if (t.useJwk() || kid == null) {
            h.jwk(key.toPublicJWK());
        } else {
            h.keyID(kid);
        }
        JWSObject jws = new JWSObject(h.build(), new Payload(payload));
        jws.sign(signer);
        String signature = jws.getSignature().toString();
        if (t.breakSignature()) {
            byte[] raw = jws.getSignature().decode();
            raw[raw.length / 2] ^= 0x01;
            signature = Base64URL.encode(raw).toString();
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("protected", jws.getHeader().toBase64URL().toString());
        o.put("payload", Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)).toString());
        o.put("signature", signature);
        return o.toString();
    }
}
