package io.upki.sidecar.proxy;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import io.upki.sidecar.SidecarConfig;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TlsClients;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real upki PKI for one test class: the CA, a server certificate for the proxy, an administrator by
 * role (profile admin: upki's admin role policy), an administrator by list (profile user, DN in the
 * admins file), a user, a certificate to revoke, and from a second, unrelated CA a user-profile
 * certificate with our user's DN and an admin-profile certificate with our administrator's DN.
 */
final class ProxyPki implements AutoCloseable {
    /** A certificate and its key as files, for curl. */
    record Client(Path cert, Path key, X509Certificate certificate) {
        String serialHex() {
            return certificate.getSerialNumber().toString(16);
        }

        String fingerprint() {
            return CertificateFacts.sha256Fingerprint(certificate);
        }

        String derBase64() {
            return Base64.getEncoder().encodeToString(CertificateFacts.der(certificate));
        }

        /** The PEM as nginx's {@code $ssl_client_escaped_cert} gives it. */
        String escapedPem() {
            return URLEncoder.encode(Pem.encode(certificate), StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /** The name in the sidecar's HTTPS certificate (nginx's proxy_ssl_name, Caddy's tls_server_name). */
    static final String SIDECAR_NAME = "auth-sidecar";
    /** The name in the RA's HTTPS certificate (ra-core's ra.crt names upki-ra by default). */
    static final String RA_NAME = "upki-ra";

    /** The one DN in the sidecar's admins file. */
    static final String LISTED_ADMIN_DN = "CN=e2e-listed-admin";

    final Path dir;
    final TestCa ca;
    final TestCa other;
    final Path caCrt;
    final Path crlFile;
    final Client server;
    final Client admin;
    final Client listedAdmin;
    final Client user;
    final Client revocable;
    final Client foreign;
    final Client foreignAdmin;
    /** The proxy's client certificate towards the sidecar (profile proxy: upki's proxy role). */
    final Client proxyClient;
    /** A certificate of the proxy profile from the unrelated CA. */
    final Client foreignProxy;
    /** A second proxy certificate of our CA, for revocation. */
    final Client revocableProxy;
    /** The RA stand-in's HTTPS certificate (profile server; DNS upki-ra and IP 127.0.0.1). */
    final Client raServer;
    /** The sidecar's own HTTPS certificate (profile server; DNS auth-sidecar and IP 127.0.0.1). */
    final Client sidecarServer;

    private ProxyPki(Path dir, TestCa ca, TestCa other) throws IOException {
        this.dir = dir;
        this.ca = ca;
        this.other = other;
        this.caCrt = Files.writeString(dir.resolve("ca.crt"), ca.client().getCaPem());
        this.server = issue(ca, "server", "CN=" + ProxyConfigs.SERVER_NAME, "server", List.of(ProxyConfigs.SERVER_NAME));
        this.admin = issue(ca, "admin", "CN=e2e-admin", "admin", List.of());
        this.listedAdmin = issue(ca, "listed-admin", LISTED_ADMIN_DN, "user", List.of());
        this.user = issue(ca, "user", "CN=e2e-user", "user", List.of());
        this.revocable = issue(ca, "revocable", "CN=e2e-revocable", "user", List.of());
        this.foreign = issue(other, "foreign", "CN=e2e-user", "user", List.of());
        this.foreignAdmin = issue(other, "foreign-admin", "CN=e2e-admin", "admin", List.of());
        this.proxyClient = issue(ca, "proxy", "CN=e2e-proxy", "proxy", List.of());
        this.foreignProxy = issue(other, "foreign-proxy", "CN=e2e-proxy", "proxy", List.of());
        this.revocableProxy = issue(ca, "revocable-proxy", "CN=e2e-revocable-proxy", "proxy", List.of());
        this.raServer = issueWithSans(ca, "ra-tls", "CN=" + RA_NAME, "server",
                List.of(new GeneralName(GeneralName.dNSName, RA_NAME), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        this.sidecarServer = issueWithSans(ca, "sidecar-tls", "CN=" + SIDECAR_NAME, "server",
                List.of(new GeneralName(GeneralName.dNSName, SIDECAR_NAME), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        this.crlFile = dir.resolve("crl.der");
        publishCrl();
    }

    /** Mints the PKI under {@code dir}: an RSA-4096 upki CA and an unrelated EC CA. */
    static ProxyPki mint(Path dir) throws IOException {
        // RSA-4096, upki's default CA key: its larger certificates make the certificate headers the
        // proxies forward large, which is what their buffer limits must be sized for.
        TestCa ca = TestCa.start(Files.createDirectories(dir.resolve("ca")), "rsa", Duration.ofDays(7), null);
        TestCa other = null;
        try {
            other = TestCa.start(Files.createDirectories(dir.resolve("other-ca")));
            return new ProxyPki(dir, ca, other);
        } catch (IOException | RuntimeException e) {
            ca.close();
            if (other != null) {
                other.close();
            }
            throw e;
        }
    }

    private Client issue(TestCa issuer, String name, String subject, String profile, List<String> dns)
            throws IOException {
        return issueWithSans(issuer, name, subject, profile,
                dns.stream().map(d -> new GeneralName(GeneralName.dNSName, d)).toList());
    }

    private Client issueWithSans(TestCa issuer, String name, String subject, String profile, List<GeneralName> sans)
            throws IOException {
        KeyPair keys = TestKeys.ec256();
        String pem = issuer.client().sign(csr(keys, subject, sans), profile).get("certificate").asText();
        Path cert = Files.writeString(dir.resolve(name + ".crt"), pem);
        Path key = Files.writeString(dir.resolve(name + ".key"), Pem.encodePrivateKey(keys.getPrivate(), null));
        return new Client(cert, key, Pem.parseCertificate(pem));
    }

    /** A PEM CSR with any SAN types (TestKeys makes DNS names only). */
    private static String csr(KeyPair keys, String subject, List<GeneralName> sans) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
            if (!sans.isEmpty()) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            return Pem.encode(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** CA {@code generate_crl}, written atomically where the sidecar watches it. */
    void publishCrl() throws IOException {
        byte[] der = ca.client().generateCrl();
        Path tmp = Files.write(dir.resolve("crl.der.tmp"), der);
        Files.move(tmp, crlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** CA {@code revoke} by serial, then a new CRL file. */
    void revoke(Client client) throws IOException {
        BigInteger serial = client.certificate().getSerialNumber();
        ca.client().revokeSerial(serial, "keyCompromise");
        publishCrl();
    }

    /**
     * A sidecar for {@code proxy}: the admins file lists only {@link #LISTED_ADMIN_DN} (the role-policy
     * administrator is not listed), signing identity registered with the CA.
     */
    SidecarHarness startSidecar(String proxy) throws Exception {
        Path admins = Files.writeString(dir.resolve("admins.txt"), LISTED_ADMIN_DN + "\n");
        SidecarConfig.Signing signing = new SidecarConfig.Signing(null, null, ca.registrationEndpoint(), TestCa.SEED,
                "e2e-sidecar-" + proxy, dir.resolve("sidecar-state"));
        // Over HTTPS, serving only the proxy's certificate (issue #16 M1); the harness calls it as the proxy.
        SidecarConfig config = SidecarHarness.config(caCrt, null, List.of(crlFile.toString()), admins, signing, proxy,
                new SidecarConfig.Tls(sidecarServer.cert(), sidecarServer.key()));
        return SidecarHarness.startTls(config, Clock.systemUTC(), TlsClients.context(proxyClient.cert(), proxyClient.key(), caCrt));
    }

    @Override
    public void close() {
        other.close();
        ca.close();
    }
}
