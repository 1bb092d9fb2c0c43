package io.upki.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCSP responder (RFC 6960) on loopback: a real CA, the publisher with {@code --ocsp}, real HTTP,
 * and openssl as the client. Statuses, nonce, caching, the GET form and every refusal.
 */
class OcspResponderTest {
    @TempDir
    Path dir;
    TestCa ca;
    Publisher publisher;
    OcspClient client;
    X509Certificate caCert;
    Path caCrt;

    @BeforeEach
    void start() throws Exception {
        TestCa.initialize(dir.resolve("ca"), "ec");
        ca = TestCa.open(dir.resolve("ca"), Duration.ofDays(1), null, Clock.systemUTC());
        publisher = Publisher.start(TestPublishers.withOcsp(ca, dir, 0, Duration.ofSeconds(3)), Clock.systemUTC());
        client = new OcspClient("http://127.0.0.1:" + publisher.port() + "/ocsp");
        String caPem = ca.call(CaTask.GET_CA, CaClient.params()).asText();
        caCert = Pem.parseCertificate(caPem);
        caCrt = Files.writeString(dir.resolve("ca.crt"), caPem);
        TestPublishers.awaitFirstCrl(publisher);
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (ca != null) {
            ca.close();
        }
    }

    X509Certificate issue(String cn) throws Exception {
        return Pem.parseCertificate(ca.client().sign(TestKeys.csr("CN=" + cn), "server").get("certificate").asText());
    }

    Path write(String name, X509Certificate cert) throws Exception {
        return Files.writeString(dir.resolve(name), Pem.encode(cert));
    }

    /** The single response of a successful, correctly signed answer. */
    SingleResp single(OcspClient.Reply reply) throws Exception {
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/ocsp-response");
        OCSPResp resp = reply.ocsp();
        assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        X509CertificateHolder signer = basic.getCerts()[0];
        // RFC 6960 section 4.2.2.2: a delegated signer, issued by the CA, for OCSP signing only.
        assertThat(signer.isSignatureValid(new JcaContentVerifierProviderBuilder().build(caCert))).isTrue();
        assertThat(Pem.parseCertificate(Pem.encode(signer)).getExtendedKeyUsage())
                .containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
        assertThat(signer.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck)).isNotNull();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer))).isTrue();
        assertThat(basic.getResponses()).hasSize(1);
        return basic.getResponses()[0];
    }

    int errorStatus(OcspClient.Reply reply) throws Exception {
        assertThat(reply.contentType()).isEqualTo("application/ocsp-response");
        OCSPResp resp = reply.ocsp();
        assertThat(resp.getResponseObject()).isNull();
        return resp.getStatus();
    }

    @Test
    void opensslSaysGoodThenRevokedAfterRevokeAndGenerateCrl() throws Exception {
        X509Certificate leaf = issue("leaf.example.internal");
        Path leafCrt = write("leaf.crt", leaf);
        String withNonce = client.openssl(dir, "-issuer", caCrt.toString(), "-cert", leafCrt.toString(),
                "-CAfile", caCrt.toString(), "-resp_text");
        assertThat(withNonce).contains("Response verify OK").contains(leafCrt + ": good")
                .contains("OCSP Nonce").contains("Next Update:").doesNotContain("WARNING");
        String noNonce = client.openssl(dir, "-issuer", caCrt.toString(), "-cert", leafCrt.toString(),
                "-CAfile", caCrt.toString(), "-no_nonce", "-resp_text");
        assertThat(noNonce).contains("Response verify OK").contains(leafCrt + ": good").doesNotContain("OCSP Nonce");

        ca.call(CaTask.REVOKE, CaClient.params().put("serial", "0x" + leaf.getSerialNumber().toString(16))
                .put("reason", "keyCompromise"));
        ca.call(CaTask.GENERATE_CRL, CaClient.params());
        long deadline = System.nanoTime() + 5_000_000_000L;
        String after;
        do {
            after = client.openssl(dir, "-issuer", caCrt.toString(), "-cert", leafCrt.toString(),
                    "-CAfile", caCrt.toString(), "-resp_text");
            assertThat(System.nanoTime()).as("revoked within 5 s").isLessThan(deadline);
        } while (!after.contains(leafCrt + ": revoked"));
        assertThat(after).contains("Response verify OK").contains("Reason: keyCompromise").contains("Revocation Time:");
        // The cached (no-nonce) answer changed too.
        assertThat(client.openssl(dir, "-issuer", caCrt.toString(), "-cert", leafCrt.toString(),
                "-CAfile", caCrt.toString(), "-no_nonce")).contains(leafCrt + ": revoked");
    }

    @Test
    void aSerialThisCaNeverIssuedIsUnknown() throws Exception {
        issue("real.example.internal");
        BigInteger foreign = new BigInteger(120, new SecureRandom()).setBit(119);
        String out = client.openssl(dir, "-issuer", caCrt.toString(), "-serial", "0x" + foreign.toString(16),
                "-CAfile", caCrt.toString());
        assertThat(out).contains("Response verify OK").contains(": unknown");
        // Same answer from BouncyCastle's side, and a forged certificate with the CA's name changes nothing.
        SingleResp r = single(client.post(OcspClient.request(null, OcspClient.id(caCert, foreign))));
        assertThat(r.getCertStatus()).isInstanceOf(UnknownStatus.class);
    }

    @Test
    void aNonceIsEchoedInAFreshResponseAndRequestsWithoutOneAreServedPreSigned() throws Exception {
        X509Certificate leaf = issue("cache.example.internal");
        CertificateID id = OcspClient.id(caCert, leaf.getSerialNumber());
        byte[] plain = OcspClient.request(null, id);
        OcspClient.Reply first = client.post(plain);
        OcspClient.Reply second = client.post(plain);
        assertThat(single(first).getCertStatus()).isNull(); // null is GOOD in BouncyCastle
        assertThat(second.body()).as("pre-signed response reused").isEqualTo(first.body());

        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        OcspClient.Reply a = client.post(OcspClient.request(nonce, id));
        BasicOCSPResp basic = (BasicOCSPResp) a.ocsp().getResponseObject();
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets())
                .isEqualTo(new org.bouncycastle.asn1.DEROctetString(nonce).getEncoded());
        assertThat(single(a).getCertStatus()).isNull();
        nonce[0] ^= 1;
        OcspClient.Reply b = client.post(OcspClient.request(nonce, id));
        assertThat(b.body()).isNotEqualTo(a.body());

        // RFC 5019: thisUpdate now, nextUpdate 10 minutes on (the CRL lasts a day), never in the past.
        SingleResp r = single(first);
        Instant thisUpdate = r.getThisUpdate().toInstant();
        assertThat(thisUpdate).isBetween(Instant.now().minusSeconds(30), Instant.now().plusSeconds(1));
        assertThat(Duration.between(thisUpdate, r.getNextUpdate().toInstant())).isEqualTo(Duration.ofMinutes(10));
        assertThat(first.cacheControl()).isEqualTo("no-store"); // POST answers are not for HTTP caches
    }

    @Test
    void theGetFormWorksEscapedAsNginxSendsItAndRaw() throws Exception {
        X509Certificate leaf = issue("get.example.internal");
        // A request whose base64 holds '/' and '+', the characters that need care in a path.
        byte[] der = null;
        for (int i = 0; i < 5000 && der == null; i++) {
            // A 16-byte nonce changes about 22 base64 characters per try: a small counter changed too
            // few, and a serial whose fixed part held no '/' or '+' then never produced one.
            byte[] nonce = new byte[16];
            new Random(i).nextBytes(nonce);
            byte[] candidate = OcspClient.request(nonce, OcspClient.id(caCert, leaf.getSerialNumber()));
            String b64 = Base64.getEncoder().encodeToString(candidate);
            if (b64.contains("/") && b64.contains("+")) {
                der = candidate;
            }
        }
        assertThat(der).isNotNull();
        for (boolean escaped : new boolean[] {true, false}) {
            OcspClient.Reply reply = client.get(der, escaped);
            assertThat(single(reply).getCertStatus()).as("escaped=" + escaped).isNull();
        }
        byte[] plain = OcspClient.request(null, OcspClient.id(caCert, leaf.getSerialNumber()));
        OcspClient.Reply cached = client.get(plain, true);
        assertThat(single(cached).getCertStatus()).isNull();
        // RFC 5019 section 6.2: GET answers may be cached, never past nextUpdate nor longer than max-age.
        assertThat(cached.cacheControl()).startsWith("max-age=").contains("public");
        int maxAge = Integer.parseInt(cached.cacheControl().replaceAll("max-age=(\\d+).*", "$1"));
        assertThat(maxAge).isBetween(1, 60);
    }

    @Test
    void malformedDerIsMalformedRequest() throws Exception {
        OcspClient.Reply garbage = client.post("not an OCSP request".getBytes());
        assertThat(garbage.status()).isEqualTo(200);
        assertThat(errorStatus(garbage)).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        // A valid request followed by trailing bytes, an empty body, and GET with bad base64.
        byte[] valid = OcspClient.request(null, OcspClient.id(caCert, BigInteger.TEN));
        byte[] trailing = Arrays.copyOf(valid, valid.length + 2);
        assertThat(errorStatus(client.post(trailing))).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        assertThat(errorStatus(client.post(new byte[0]))).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        assertThat(errorStatus(client.getPath("!!not*base64"))).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        assertThat(errorStatus(client.getPath(""))).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        // A nonce longer than RFC 8954's 32 octets.
        byte[] longNonce = OcspClient.request(new byte[33], OcspClient.id(caCert, BigInteger.TEN));
        assertThat(errorStatus(client.post(longNonce))).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        // openssl reads the answer as an OCSP error status: proper DER, not a transport failure.
        Path answer = Files.write(dir.resolve("answer.der"), garbage.body());
        assertThat(OcspClient.opensslOffline(dir, "-respin", answer.toString(), "-resp_text"))
                .contains("Responder Error: malformedrequest (1)");
    }

    @Test
    void anotherIssuerIsUnauthorized() throws Exception {
        TestCa.initialize(dir.resolve("other"), "ec");
        try (TestCa other = TestCa.open(dir.resolve("other"), Duration.ofDays(1), null, Clock.systemUTC())) {
            X509Certificate otherCa = Pem.parseCertificate(other.call(CaTask.GET_CA, CaClient.params()).asText());
            // Same issuer name ("uPKI Root CA"), other key: only the key hash tells them apart.
            assertThat(otherCa.getSubjectX500Principal()).isEqualTo(caCert.getSubjectX500Principal());
            Path otherCrt = write("other-ca.crt", otherCa);
            String out = client.openssl(dir, "-issuer", otherCrt.toString(), "-serial", "0x1234",
                    "-CAfile", caCrt.toString());
            assertThat(out).contains("Responder Error: unauthorized (6)");
            OcspClient.Reply reply = client.post(OcspClient.request(null, OcspClient.id(otherCa, BigInteger.TEN)));
            assertThat(errorStatus(reply)).isEqualTo(OCSPResp.UNAUTHORIZED);
            // One foreign CertID among ours spoils the whole request.
            reply = client.post(OcspClient.request(null, OcspClient.id(caCert, BigInteger.TEN),
                    OcspClient.id(otherCa, BigInteger.TEN)));
            assertThat(errorStatus(reply)).isEqualTo(OCSPResp.UNAUTHORIZED);
        }
    }

    @Test
    void anUnsupportedHashAlgorithmIsUnauthorized() throws Exception {
        X509Certificate leaf = issue("md5.example.internal");
        CertificateID md5 = OcspClient.id(caCert, leaf.getSerialNumber(),
                new AlgorithmIdentifier(PKCSObjectIdentifiers.md5));
        assertThat(errorStatus(client.post(OcspClient.request(null, md5)))).isEqualTo(OCSPResp.UNAUTHORIZED);
        // SHA-256 CertIDs are answered.
        CertificateID sha256 = OcspClient.id(caCert, leaf.getSerialNumber(),
                new AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256));
        assertThat(single(client.post(OcspClient.request(null, sha256))).getCertStatus()).isNull();
    }

    @Test
    void anOversizedBodyIsRefusedUnread() throws Exception {
        OcspClient.Reply reply = client.post(new byte[64 * 1024]);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(errorStatus(reply)).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        // Without a Content-Length (chunked), the body is read only up to the limit.
        OcspClient.Reply chunked = client.postChunked(new byte[64 * 1024]);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(errorStatus(chunked)).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        OcspClient.Reply get = client.get(new byte[8 * 1024], false);
        assertThat(get.status()).isIn(413, 414, 431);
    }

    @Test
    void otherMethodsAreRefused() throws Exception {
        byte[] valid = OcspClient.request(null, OcspClient.id(caCert, BigInteger.TEN));
        for (String method : new String[] {"PUT", "DELETE", "PATCH"}) {
            OcspClient.Reply reply = client.method(method, valid);
            assertThat(reply.status()).as(method).isEqualTo(405);
            assertThat(errorStatus(reply)).as(method).isEqualTo(OCSPResp.MALFORMED_REQUEST);
        }
    }

    String metrics() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + publisher.port() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    long metric(String name) throws Exception {
        return OcspNginxTest.metric(metrics(), name);
    }

    @Test
    void aRevocationReplacesThePreSignedResponse() throws Exception {
        X509Certificate leaf = issue("fast.example.internal");
        byte[] plain = OcspClient.request(null, OcspClient.id(caCert, leaf.getSerialNumber()));
        assertThat(single(client.post(plain)).getCertStatus()).isNull();
        assertThat(single(client.post(plain)).getCertStatus()).isNull();
        X509Certificate other = issue("other.example.internal");
        byte[] otherReq = OcspClient.request(null, OcspClient.id(caCert, other.getSerialNumber()));
        assertThat(single(client.post(otherReq)).getCertStatus()).isNull();
        // Warm-up revocation, untimed: class loading is not what is measured.
        X509Certificate warm = issue("warm.example.internal");
        byte[] warmReq = OcspClient.request(null, OcspClient.id(caCert, warm.getSerialNumber()));
        single(client.post(warmReq));
        ca.client().revokeSerial(warm.getSerialNumber(), "superseded");
        untilRevoked(warmReq, System.nanoTime());
        long presigned = settledPresigned();

        // Revocation alone: the publisher makes the CRL itself and the cache follows it.
        long start = System.nanoTime();
        ca.client().revokeSerial(leaf.getSerialNumber(), "cessationOfOperation");
        SingleResp revoked = untilRevoked(plain, start);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("revoke -> OCSP revoked after " + ms + " ms");
        RevokedStatus status = (RevokedStatus) revoked.getCertStatus();
        assertThat(status.getRevocationReason()).isEqualTo(CRLReason.cessationOfOperation);
        assertThat(status.getRevocationTime().toInstant()).isBetween(Instant.now().minusSeconds(60), Instant.now());

        // The other serial's response was signed again for the new CRL before anyone asked: a cache hit.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (metric("upki_publisher_ocsp_presigned_total") <= presigned) {
            assertThat(System.nanoTime()).as("pre-signed after the CRLs").isLessThan(deadline);
            Thread.sleep(10);
        }
        long hits = metric("upki_publisher_ocsp_cached_total");
        SingleResp again = single(client.post(otherReq));
        assertThat(again.getCertStatus()).isNull();
        assertThat(metric("upki_publisher_ocsp_cached_total")).isEqualTo(hits + 1);
    }

    @Test
    void withTheCaDownKnownSerialsAreAnsweredAndTheRestIsTryLater() throws Exception {
        X509Certificate good = issue("still-good.example.internal");
        X509Certificate gone = issue("gone.example.internal");
        byte[] goodReq = OcspClient.request(null, OcspClient.id(caCert, good.getSerialNumber()));
        assertThat(single(client.post(goodReq)).getCertStatus()).isNull();
        ca.client().revokeSerial(gone.getSerialNumber(), "affiliationChanged");
        byte[] goneReq = OcspClient.request(null, OcspClient.id(caCert, gone.getSerialNumber()));
        untilRevoked(goneReq, System.nanoTime());
        // The CA may say "revoked" before the complete CRL listing it is published (a delta goes first):
        // this case is about answering from the CRL once the CA is gone, so wait for that CRL.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (publisher.publication().current() == null
                || !publisher.publication().current().snapshot().revokes(gone.getSerialNumber())) {
            assertThat(System.nanoTime()).as("the CRL listing the revocation is published").isLessThan(deadline);
            Thread.sleep(10);
        }
        ca.close();
        ca = null;
        byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        // Fresh signatures (a nonce defeats the cache), statuses from the CRL and what the CA said before.
        assertThat(single(client.post(OcspClient.request(nonce, OcspClient.id(caCert, good.getSerialNumber()))))
                .getCertStatus()).isNull();
        assertThat(single(client.post(OcspClient.request(nonce, OcspClient.id(caCert, gone.getSerialNumber()))))
                .getCertStatus()).isInstanceOf(RevokedStatus.class);
        // A serial never seen: nobody can say it is good, so nobody does (fail closed).
        OcspClient.Reply unseen = client.post(OcspClient.request(null, OcspClient.id(caCert, BigInteger.valueOf(991))));
        assertThat(unseen.status()).isEqualTo(200);
        assertThat(errorStatus(unseen)).isEqualTo(OCSPResp.TRY_LATER);
    }

    /** The pre-signed count once the warm-up CRL's pre-signing is over (it has stopped changing). */
    long settledPresigned() throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long last = -1;
        long now = metric("upki_publisher_ocsp_presigned_total");
        while (now == 0 || now != last) {
            assertThat(System.nanoTime()).as("pre-signing settles").isLessThan(deadline);
            Thread.sleep(300);
            last = now;
            now = metric("upki_publisher_ocsp_presigned_total");
        }
        return now;
    }

    SingleResp untilRevoked(byte[] request, long startNanos) throws Exception {
        long deadline = startNanos + 10_000_000_000L;
        while (true) {
            SingleResp r = single(client.post(request));
            if (r.getCertStatus() instanceof RevokedStatus) {
                return r;
            }
            assertThat(System.nanoTime()).as("revoked within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void theSignerKeyStaysHereAndIsReusedAfterARestart() throws Exception {
        Path key = dir.resolve("signer/ocsp-signer.key");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("signer"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        BigInteger before = publisher.ocspSigner().current().certificate().getSerialNumber();
        publisher.close();
        publisher = Publisher.start(TestPublishers.withOcsp(ca, dir, 0, Duration.ofSeconds(3)), Clock.systemUTC());
        assertThat(publisher.ocspSigner().current().certificate().getSerialNumber()).isEqualTo(before);
        // The CA knows the signer as a certificate it issued under the ocsp profile.
        assertThat(ca.call(CaTask.VIEW, CaClient.params().put("serial", "0x" + before.toString(16)))
                .path("profile").asText()).isEqualTo("ocsp");
    }
}
