package io.upki.sidecar.testing;

import io.upki.pki.crypto.NativeCrypto;
import io.upki.pki.options.CrlFeedSettings;
import io.upki.pki.x509.Pem;
import io.upki.sidecar.Sidecar;
import io.upki.sidecar.SidecarConfig;
import io.upki.testkit.ForwardAuthVectors;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Starts a real sidecar on a free loopback port and sends it forward-auth requests over HTTP. */
public record SidecarHarness(Sidecar sidecar, HttpClient http, String scheme) implements AutoCloseable {

    /** The forward-auth reference vectors folder (from the upki-testkit module). */
    public static Path vectors() {
        return ForwardAuthVectors.dir();
    }

    /** A throwaway EC signing identity (the vectors PKI has none); written to {@code dir}. */
    public static SidecarConfig.Signing throwawaySigning(Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=test sidecar signer");
        var holder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(Instant.parse("2020-01-01T00:00:00Z")),
                Date.from(Instant.parse("2040-01-01T00:00:00Z")), name, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        Path key = dir.resolve("signer.key");
        Path cert = dir.resolve("signer.crt");
        Files.writeString(key, Pem.encodePrivateKey(kp.getPrivate(), null));
        Files.writeString(cert, Pem.encode(holder));
        return new SidecarConfig.Signing(key, cert, null, null, null, null);
    }

    public static SidecarConfig config(Path anchor, Path intermediates, List<String> crls, Path admins,
                                       SidecarConfig.Signing signing, String proxy) {
        return config(anchor, intermediates, crls, admins, signing, proxy, null);
    }

    /** {@link #config(Path, Path, List, Path, SidecarConfig.Signing, String)} over HTTPS with {@code tls}. */
    public static SidecarConfig config(Path anchor, Path intermediates, List<String> crls, Path admins,
                                       SidecarConfig.Signing signing, String proxy, SidecarConfig.Tls tls) {
        return new SidecarConfig(SidecarConfigParts.ANY_PORT,
                SidecarConfigParts.trust(anchor, intermediates, new CrlFeedSettings(crls, null)),
                new SidecarConfig.Admins(admins, null, Duration.ofMillis(200)), signing, SidecarConfigParts.limits(10_000),
                SidecarConfigParts.decisions(proxy, true), tls);
    }

    /**
     * A sidecar that registers its signing key as {@code cn} at {@code registration} with the test CA's
     * seed (state in {@code stateDir}) and reads its admin list from {@code operations} every 200 ms;
     * CRLs from the file {@code crl}, proxy traefik, audit on.
     */
    public static SidecarConfig registering(Path anchor, Path crl, String registration, String operations, String cn,
                                            Path stateDir) {
        var signing = new SidecarConfig.Signing(null, null, registration, io.upki.ca.testing.TestCa.SEED, cn, stateDir);
        return new SidecarConfig(SidecarConfigParts.ANY_PORT,
                SidecarConfigParts.trust(anchor, null, new CrlFeedSettings(List.of(crl.toString()), null)),
                new SidecarConfig.Admins(null, operations, Duration.ofMillis(200)), signing, SidecarConfigParts.limits(1000),
                SidecarConfigParts.decisions("traefik", true), null);
    }

    /**
     * A sidecar (proxy traefik, throwaway signer) trusting {@code pki} as written to {@code dir}: root.crt,
     * intermediate.crt, crls.pem (CRL number 10, nothing revoked) and admins.txt (CN=root-admin); at
     * {@link TestPki#NOW}, metrics on.
     */
    public static SidecarHarness startOn(TestPki pki, Path dir) throws Exception {
        return startOn(pki, dir, 10, Clock.fixed(TestPki.NOW, java.time.ZoneOffset.UTC), true);
    }

    /** As {@link #startOn(TestPki, Path)}, with CRL number {@code crlNumber}, {@code clock} and {@code metrics}. */
    public static SidecarHarness startOn(TestPki pki, Path dir, long crlNumber, Clock clock, boolean metrics)
            throws Exception {
        pki.writeTrust(dir);
        Path crls = Files.writeString(dir.resolve("crls.pem"), pki.crls(crlNumber, List.of(), List.of()));
        Path admins = Files.writeString(dir.resolve("admins.txt"), "CN=root-admin\n");
        return start(config(dir.resolve("root.crt"), dir.resolve("intermediate.crt"), List.of(crls.toString()), admins,
                throwawaySigning(dir), "traefik"), clock, metrics);
    }

    public static SidecarHarness start(SidecarConfig config, Clock clock) throws IOException {
        return start(config, clock, true);
    }

    /** @param metrics {@code --metrics on} (true) or {@code off} */
    public static SidecarHarness start(SidecarConfig config, Clock clock, boolean metrics) throws IOException {
        NativeCrypto.install(System.getenv(NativeCrypto.SWITCH)); // as the real process does at start
        return new SidecarHarness(Sidecar.start(config, io.upki.pki.caclient.CaCurve.NONE, clock, metrics),
                HttpClient.newHttpClient(), "http");
    }

    /** A sidecar over HTTPS ({@code config.tls()}), called with {@code client} (the proxy's certificate, or another). */
    public static SidecarHarness startTls(SidecarConfig config, Clock clock, SSLContext client) throws IOException {
        NativeCrypto.install(System.getenv(NativeCrypto.SWITCH));
        return new SidecarHarness(Sidecar.start(config, clock), HttpClient.newBuilder().sslContext(client).build(), "https");
    }

    public String base() {
        return scheme + "://127.0.0.1:" + sidecar.port();
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return send("GET", path, headers);
    }

    public HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        sidecar.close();
    }
}
