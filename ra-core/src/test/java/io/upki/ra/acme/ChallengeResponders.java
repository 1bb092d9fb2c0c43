package io.upki.ra.acme;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test-side challenge answers: an http-01 server with a token map, and a tls-alpn-01 server with a given certificate. */
final class ChallengeResponders {
    private ChallengeResponders() {
    }

    /** Serves {@code /.well-known/acme-challenge/<token>} from a map (404 for unknown tokens). */
    static final class Http implements AutoCloseable {
        final Map<String, String> answers = new ConcurrentHashMap<>();
        /** Requests served, so a test can see that none was made. */
        final java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        private final HttpServer server;

        Http(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
            server.createContext("/.well-known/acme-challenge/", ex -> {
                hits.incrementAndGet();
                String token = ex.getRequestURI().getPath().substring("/.well-known/acme-challenge/".length());
                String body = answers.get(token);
                byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Answers every TLS handshake offering acme-tls/1 with one certificate, as a tls-alpn-01 client would. */
    static final class TlsAlpn implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread loop;

        TlsAlpn(int port, String dnsName, String keyAuthorization) throws Exception {
            KeyPair keys = io.upki.testkit.pki.TestKeys.ec256();
            X509Certificate cert = certificate(keys, dnsName, keyAuthorization);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("c", keys.getPrivate(), new char[0], new X509Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(port, 16,
                    java.net.InetAddress.getByName("127.0.0.1"));
            loop = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (SSLSocket s = (SSLSocket) socket.accept()) {
                        s.setHandshakeApplicationProtocolSelector((sock, offered) ->
                                offered.contains("acme-tls/1") ? "acme-tls/1" : null);
                        s.startHandshake();
                    } catch (IOException e) {
                        // next connection
                    }
                }
            }, "tls-alpn-responder");
            loop.setDaemon(true);
            loop.start();
        }

        /** RFC 8737 section 3: SAN = the name, critical acmeIdentifier = SHA-256(key authorization). */
        static X509Certificate certificate(KeyPair keys, String dnsName, String keyAuthorization) throws Exception {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
            var b = new JcaX509v3CertificateBuilder(new X500Name("CN=acme"), BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)),
                    Date.from(Instant.now().plusSeconds(3600)), new X500Name("CN=acme"), keys.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31"), true, new DEROctetString(digest));
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(keys.getPrivate())));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
