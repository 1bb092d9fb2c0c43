package io.upki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.ZmqCaClient;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Real certificates from a running CA: EC P-256 CSRs (one key each) signed with the {@code sign} task
 * under a profile, through pki-common's ZeroMQ client, from a few threads.
 */
final class Issuer {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** One issued certificate and its private key. */
    record Issued(String cn, BigInteger serial, X509Certificate certificate, java.security.PrivateKey key) {
        /** Base64 of the DER: the value Traefik puts in X-Forwarded-Tls-Client-Cert for a lone leaf. */
        String base64() {
            return Base64.getEncoder().encodeToString(der());
        }

        byte[] der() {
            try {
                return certificate.getEncoded();
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        String pem() {
            return Pem.encode(certificate);
        }

        /** What nginx's {@code $ssl_client_escaped_cert} holds: the PEM, percent-encoded. */
        String nginxEscaped() {
            StringBuilder out = new StringBuilder();
            for (byte b : pem().getBytes(StandardCharsets.US_ASCII)) {
                int c = b & 0xff;
                if (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
                    out.append((char) c);
                } else {
                    out.append('%').append(String.format("%02X", c));
                }
            }
            return out.toString();
        }
    }

    private Issuer() {
    }

    /**
     * A ZeroMQ client whose socket already answered one {@code get_ca}: JeroMQ now and then loses the
     * first request of a new REQ socket, and {@code sign} or {@code revoke} are not retried.
     */
    static ZmqCaClient connectedClient(String endpoint) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            ZmqCaClient client = new ZmqCaClient(endpoint,
                    task -> task == CaTask.GET_CA ? CONNECT_TIMEOUT : task.defaultTimeout(), 0, new WireCodec());
            try {
                client.getCaPem();
                return client;
            } catch (RuntimeException e) {
                client.close();
                System.err.println("issuer: CA did not answer get_ca on a new socket (" + e.getMessage() + "), retrying");
            }
        }
        throw new IllegalStateException("CA at " + endpoint + " did not answer get_ca on 5 new sockets");
    }

    /** Issues {@code count} certificates named {@code prefix + i} (i from {@code first}) under {@code profile}. */
    static List<Issued> issue(String endpoint, String profile, String prefix, int first, int count, int threads)
            throws Exception {
        List<String> csrs = new ArrayList<>(count);
        List<java.security.PrivateKey> keys = new ArrayList<>(count);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        JcaContentSignerBuilder signerBuilder = new JcaContentSignerBuilder("SHA256withECDSA");
        for (int i = 0; i < count; i++) {
            KeyPair pair = generator.generateKeyPair();
            keys.add(pair.getPrivate());
            var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, prefix + (first + i)).build();
            csrs.add(Pem.encode(new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic())
                    .build(signerBuilder.build(pair.getPrivate()))));
        }
        Issued[] out = new Issued[count];
        AtomicInteger next = new AtomicInteger();
        int n = Math.max(1, Math.min(threads, count));
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                futures.add(pool.submit(() -> {
                    try (CaClient client = connectedClient(endpoint)) {
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            JsonNode data = client.sign(csrs.get(i), profile);
                            X509Certificate cert = Pem.parseCertificate(data.path("certificate").asText());
                            out[i] = new Issued(prefix + (first + i), cert.getSerialNumber(), cert, keys.get(i));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return List.of(out);
    }
}
