package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64;
import io.upki.pki.assertion.AssertionSigner;
import io.upki.pki.assertion.Identity;
import io.upki.pki.clientcert.CertificateDecoding;
import io.upki.pki.clientcert.TraefikSource;
import io.upki.pki.crypto.NativeCrypto;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Purpose;
import io.upki.pki.trust.Role;
import io.upki.pki.x509.Pem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64.Decoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Where a forward-auth request's CPU goes, piece by piece, on one thread of this JVM: the operations the
 * sidecar runs per request (warm path: decode the header, hash it for the cache, sign the assertion;
 * cold path: parse an unseen certificate and verify its signature up to the CA), each timed alone.
 */
final class SidecarCosts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Object sink;

    @FunctionalInterface
    private interface Op {
        Object run(int i) throws Exception;
    }

    private SidecarCosts() {
    }

    static ObjectNode run(Path stateDir, Path caCertFile, Path certsFile, double seconds) throws Exception {
        // The provider the sidecar itself runs on (its main installs it before any key is used).
        NativeCrypto.Status crypto = NativeCrypto.install(System.getenv(NativeCrypto.SWITCH));
        PrivateKey key = Pem.parsePrivateKey(Files.readString(stateDir.resolve("sidecar.key")), null);
        List<X509Certificate> chain = Pem.parseCertificates(Files.readString(stateDir.resolve("sidecar.crt")));
        X509Certificate ca = Pem.parseCertificate(Files.readString(caCertFile));
        List<String> b64 = Files.readAllLines(certsFile).stream().filter(s -> !s.isBlank()).toList();
        Decoder decoder = java.util.Base64.getDecoder();
        List<byte[]> ders = new ArrayList<>();
        List<X509Certificate> parsed = new ArrayList<>();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (String s : b64) {
            byte[] der = decoder.decode(s);
            ders.add(der);
            parsed.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
        }
        int n = ders.size();
        AssertionSigner signer = new AssertionSigner(key, chain, Clock.systemUTC(), Duration.ofSeconds(30));
        Identity id = new Identity("CN=bench-admin-0", "0fc992af93b6612759221fc18e7a506d35e463b2",
                "89d264e126f310c2e2a2b9b7ff44a7513777c1e38f8435e902a2670381ba0587", Role.ADMIN, "1");
        byte[] signingInput = signer.sign(id, "GET", "/api/v1/health").substring(0, 600).getBytes(StandardCharsets.US_ASCII);
        List<Base64> x5c = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (x5c.isEmpty() || !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                x5c.add(Base64.encode(c.getEncoded()));
            }
        }
        Provider bc = new BouncyCastleProvider();
        TraefikSource traefik = new TraefikSource(new CertificateDecoding(65536, 8));
        ChainVerifier verifier = new ChainVerifier(List.of(ca), List.of(), Clock.systemUTC());

        ObjectNode out = JSON.createObjectNode();
        out.put("label", "costs");
        out.put("kind", "costs");
        out.put("ca_key", ca.getPublicKey().getAlgorithm() + " " + ca.getSigAlgName());
        out.put("crypto", crypto.description());
        out.put("assertion_key", key.getAlgorithm());
        out.put("x5c_certificates", x5c.size());
        out.put("assertion_bytes", signer.sign(id, "GET", "/api/v1/health").length());
        // Every operation runs once untimed before any is timed: on 2 busy cores the JIT was still compiling
        // the first one's path after its own warm-up, which showed AssertionSigner.sign at 55 us (20 us warm).
        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("assertion_sign_us", i -> signer.sign(id, "GET", "/api/v1/health"));
        ops.put("ecdsa_p256_sign_us", i -> {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(signingInput);
            return s.sign();
        });
        ops.put("ecdsa_p256_sign_sunec_us", i -> {
            Signature s = Signature.getInstance("SHA256withECDSA", "SunEC");
            s.initSign(key);
            s.update(signingInput);
            return s.sign();
        });
        ops.put("ecdsa_p256_sign_bc_us", i -> {
            Signature s = Signature.getInstance("SHA256withECDSA", bc);
            s.initSign(key);
            s.update(signingInput);
            return s.sign();
        });
        // What the assertion cost before it was assembled by hand: the same JWS built with nimbus' objects.
        com.nimbusds.jose.crypto.ECDSASigner nimbus = new com.nimbusds.jose.crypto.ECDSASigner((java.security.interfaces.ECPrivateKey) key);
        ops.put("assertion_sign_nimbus_us", i -> {
            com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(new JOSEObjectType("upki-assertion+jwt")).x509CertChain(x5c).build(),
                    new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("upki-auth-sidecar").subject(id.subject())
                            .claim("serial", id.serialHex()).claim("fpr", id.fingerprint()).claim("role", id.role().wireName())
                            .claim("crl", id.crlNumber()).claim("htm", "GET").claim("htu", "/api/v1/health")
                            .issueTime(new java.util.Date()).expirationTime(new java.util.Date())
                            .jwtID(java.util.UUID.randomUUID().toString()).build());
            jwt.sign(nimbus);
            return jwt.serialize();
        });
        String warm = b64.get(0);
        List<String> one = List.of(warm);
        ops.put("traefik_decode_same_cert_us", i -> traefik.read(name -> name.equals(TraefikSource.HEADER) ? one : List.of()));
        ops.put("cache_key_sha256_us", i -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return sha.digest(parsed.get(0).getEncoded());
        });
        // Cold path: certificates the JVM has not parsed recently (the JDK keeps the last 750 parsed
        // certificates, with their verification result), so each one is parsed and verified for real.
        ops.put("x509_parse_distinct_certs_us", i -> cf.generateCertificate(
                new ByteArrayInputStream(ders.get(i % n))));
        ops.put("parse_and_chain_verify_distinct_certs_us", i -> verifier.verify(List.of(
                (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(ders.get(i % n)))), Purpose.CLIENT_AUTH));
        for (Op op : ops.values()) {
            repeat(op, seconds * 0.5);
        }
        for (Map.Entry<String, Op> op : ops.entrySet()) {
            measure(out, op.getKey(), seconds, op.getValue());
        }
        out.put("distinct_certs", n);
        return out;
    }

    /** Runs {@code op} untimed for {@code seconds}; returns the next call index. */
    private static int repeat(Op op, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int i = 0;
        while (System.nanoTime() < end) {
            sink = op.run(i++);
        }
        return i;
    }

    /** Microseconds per operation on one thread, after a warm-up of half the time. */
    private static void measure(ObjectNode out, String name, double seconds, Op op) throws Exception {
        int i = repeat(op, seconds * 0.5);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int count = 0;
        long now;
        do {
            sink = op.run(i++);
            count++;
            now = System.nanoTime();
        } while (now < end);
        double us = (now - start) / 1e3 / count;
        out.put(name, Stats.round(us, 2));
        System.err.printf("costs: %-36s %9.2f us/op (%,.0f/s on one thread)%n", name, us, 1e6 / us);
    }
}
