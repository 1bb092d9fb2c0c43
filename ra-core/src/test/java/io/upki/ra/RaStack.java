package io.upki.ra;

import io.upki.ca.testing.TestCa;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.options.CrlFeedSettings;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.publisher.Publisher;
import io.upki.publisher.PublisherConfig;
import io.upki.testkit.TempFolder;
import io.upki.testkit.pki.TestKeys;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real CA, crl-publisher and ra-core on loopback, plus client identities written to files for curl. */
public final class RaStack implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    /** A client identity: key, certificate, and their files. */
    public record Client(KeyPair keys, X509Certificate certificate, Path keyFile, Path certFile) {
    }

    public Path dir;
    int caPort;
    public TestCa ca;
    public Publisher publisher;
    public RaServer ra;
    public Path caCrt;
    /** For a class's stack: the ra-core to start with it (none when null), and what to close with it. */
    private final RaConfig.Mode raMode;
    private final boolean edgeTls;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    RaStack(Path dir) throws Exception {
        this(null, false);
        start(dir);
    }

    private RaStack(RaConfig.Mode raMode, boolean edgeTls) {
        this.raMode = raMode;
        this.edgeTls = edgeTls;
    }

    /**
     * The stack of a whole test class, as a JUnit 5 extension ({@code @RegisterExtension static final}): CA
     * and publisher in a fresh folder before the first test, no ra-core yet; all closed after the last.
     */
    public static RaStack forClass() {
        return new RaStack(null, false);
    }

    /** As {@link #forClass()}, with an ra-core in {@code mode} started too. */
    public static RaStack forClass(RaConfig.Mode mode) {
        return new RaStack(mode, false);
    }

    /** As {@link #forClass(RaConfig.Mode)}; {@code edgeTls}: see {@link #startRa(RaConfig.Mode, boolean)}. */
    public static RaStack forClass(RaConfig.Mode mode, boolean edgeTls) {
        return new RaStack(mode, edgeTls);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(TempFolder.create("upki-ra-stack-"));
        if (raMode != null) {
            startRa(raMode, edgeTls);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            close();
        } finally {
            TempFolder.delete(dir, "RaStack");
        }
    }

    /** Closes {@code resource} (a sidecar, say) when the stack closes, before the stack's own processes. */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    private void start(Path dir) throws Exception {
        this.dir = dir;
        this.caPort = TestCa.freePortBlock();
        TestCa.initialize(dir.resolve("ca"), "ec");
        startCa();
        publisher = Publisher.start(new PublisherConfig(ca.opsEndpoint(), ca.eventsEndpoint(), null, dir.resolve("crl"),
                "127.0.0.1", 0, Duration.ofMinutes(1), Duration.ofMillis(20), Duration.ofMillis(200),
                Duration.ofSeconds(60), Duration.ofSeconds(3)), Clock.systemUTC());
        caCrt = Files.writeString(dir.resolve("ca.crt"), ca.call(CaTask.GET_CA, CaClient.params()).asText());
    }

    public void startCa() throws Exception {
        ca = TestCa.open(dir.resolve("ca"), Duration.ofDays(7), null, Clock.systemUTC(), caPort);
    }

    public String publisherBase() {
        return "http://127.0.0.1:" + publisher.port();
    }

    RaServer startRa(RaConfig.Mode mode) throws Exception {
        return startRa(mode, false, io.upki.ra.audit.RaAudit.logOnly(Clock.systemUTC()));
    }

    /** An ra-core recording its audit events in {@code audit}. */
    RaServer startRa(RaConfig.Mode mode, io.upki.ra.audit.RaAudit audit) throws Exception {
        return startRa(mode, false, audit);
    }

    /** @param edgeTls edge mode over mutual TLS: only the proxy's certificate (issue #16 M1) */
    RaServer startRa(RaConfig.Mode mode, boolean edgeTls) throws Exception {
        return startRa(mode, edgeTls, io.upki.ra.audit.RaAudit.logOnly(Clock.systemUTC()));
    }

    private RaServer startRa(RaConfig.Mode mode, boolean edgeTls, io.upki.ra.audit.RaAudit audit) throws Exception {
        return startRa(mode, edgeTls, audit, null);
    }

    /** A direct-mode ra-core that reaches the CA through {@code cas} (its {@code --ca} list). */
    RaServer startRa(io.upki.pki.caclient.CaEndpoints cas) throws Exception {
        return startRa(RaConfig.Mode.DIRECT, false, io.upki.ra.audit.RaAudit.logOnly(Clock.systemUTC()), cas);
    }

    private RaServer startRa(RaConfig.Mode mode, boolean edgeTls, io.upki.ra.audit.RaAudit audit,
                             io.upki.pki.caclient.CaEndpoints cas) throws Exception {
        RaConfig config = new RaConfig(dir.resolve("ra-" + mode), new RaConfig.Listener("127.0.0.1", 0, mode, edgeTls),
                new RaConfig.CaLink(RaConfig.CaLink.endpoints(cas, "127.0.0.1", caPort), Duration.ofSeconds(2)),
                new RaConfig.Identity(TestCa.SEED, "upki-ra", List.of("127.0.0.1", "upki-ra")),
                new CrlFeedSettings(List.of(publisherBase() + "/crl.der"), publisherBase() + "/events"),
                Duration.ofSeconds(10), publisherBase(), 65536, null);
        ra = RaServer.start(config, Clock.systemUTC(), audit);
        return ra;
    }

    public Client issue(String cn, String profile) throws Exception {
        KeyPair keys = TestKeys.ec256();
        String pem = ca.client().sign(TestKeys.csr(keys, "CN=" + cn, List.of()), profile).get("certificate").asText();
        return write(cn, keys, Pem.parseCertificate(pem));
    }

    /** A certificate signed with the real CA key but already expired (the CA itself never issues one). */
    Client expired(String cn) throws Exception {
        X509Certificate caCert = Pem.parseCertificate(Files.readString(caCrt));
        PrivateKey caKey = Pem.parsePrivateKey(Files.readString(dir.resolve("ca/ca.key")), null);
        KeyPair keys = TestKeys.ec256();
        var b = new JcaX509v3CertificateBuilder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minusSeconds(86400 * 10)),
                Date.from(Instant.now().minusSeconds(3600)), new X500Name("CN=" + cn), keys.getPublic());
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(caKey)));
        return write(cn, keys, cert);
    }

    private Client write(String cn, KeyPair keys, X509Certificate cert) throws Exception {
        Path key = Files.writeString(dir.resolve(cn + ".key"), Pem.encodePrivateKey(keys.getPrivate(), null));
        Path crt = Files.writeString(dir.resolve(cn + ".crt"), Pem.encode(cert));
        return new Client(keys, cert, key, crt);
    }

    /** An HTTPS client trusting ca.crt, presenting {@code client} (or no certificate when null). */
    public HttpClient https(Client client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.parseCertificate(Files.readString(caCrt)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (client != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("me", client.keys().getPrivate(), new char[0], new X509Certificate[] {client.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static HttpResponse<String> send(HttpClient client, String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            try {
                closeAfter.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        closeAfter.clear();
        if (ra != null) {
            ra.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (ca != null) {
            ca.close();
        }
    }
}
