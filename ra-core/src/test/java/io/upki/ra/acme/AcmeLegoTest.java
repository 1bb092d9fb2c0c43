package io.upki.ra.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.pki.x509.Pem;
import io.upki.ra.RaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traefik's own ACME client, lego 4.9.1, against the ra-core in direct mode (HTTPS) on loopback:
 * http-01 and tls-alpn-01 issuance, renewal and revocation. Every name resolves to 127.0.0.1 through
 * pebble-challtestsrv, and the RA validates on the ports lego listens on.
 */
class AcmeLegoTest {
    @TempDir
    static Path dir;
    static AcmeStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new AcmeStack(dir);
        stack.startRa(RaConfig.Mode.DIRECT, stack.settings(Map.of()));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void http01IssuesACertificateThatVerifiesAndCarriesTheOrderedNames() throws Exception {
        Path lego = dir.resolve("lego-http");
        AcmeStack.Run run = stack.lego(lego, "--http", "--http.port", "127.0.0.1:" + stack.httpPort,
                "-d", "web1.example.internal", "-d", "web2.example.internal", "run");
        assertThat(run.exit()).as(run.output()).isZero();
        Path crt = lego.resolve("certificates/web1.example.internal.crt");
        assertThat(stack.opensslVerify(crt).output()).contains(": OK");
        assertThat(names(crt)).containsExactly("web1.example.internal", "web2.example.internal");
    }

    @Test
    void tlsAlpn01IssuesACertificate() throws Exception {
        Path lego = dir.resolve("lego-tls");
        AcmeStack.Run run = stack.lego(lego, "--tls", "--tls.port", "127.0.0.1:" + stack.tlsPort,
                "-d", "tls1.example.internal", "run");
        assertThat(run.exit()).as(run.output()).isZero();
        Path crt = lego.resolve("certificates/tls1.example.internal.crt");
        assertThat(stack.opensslVerify(crt).output()).contains(": OK");
        assertThat(names(crt)).containsExactly("tls1.example.internal");
    }

    @Test
    void renewGetsANewCertificateThroughANewValidatedOrder() throws Exception {
        Path lego = dir.resolve("lego-renew");
        String[] common = {"--http", "--http.port", "127.0.0.1:" + stack.httpPort, "-d", "renew.example.internal"};
        assertThat(stack.lego(lego, concat(common, "run")).exit()).isZero();
        Path crt = lego.resolve("certificates/renew.example.internal.crt");
        X509Certificate first = Pem.parseCertificate(Files.readString(crt));
        AcmeStack.Run renew = stack.lego(lego, concat(common, "renew", "--days", "9999", "--no-random-sleep"));
        assertThat(renew.exit()).as(renew.output()).isZero();
        X509Certificate second = Pem.parseCertificate(Files.readString(crt));
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(stack.opensslVerify(crt).output()).contains(": OK");
        assertThat(names(crt)).containsExactly("renew.example.internal");
    }

    @Test
    void revokeRevokesAtTheCa() throws Exception {
        Path lego = dir.resolve("lego-revoke");
        String[] common = {"--tls", "--tls.port", "127.0.0.1:" + stack.tlsPort, "-d", "revoke.example.internal"};
        assertThat(stack.lego(lego, concat(common, "run")).exit()).isZero();
        X509Certificate cert = Pem.parseCertificate(Files.readString(lego.resolve("certificates/revoke.example.internal.crt")));
        AcmeStack.Run revoke = stack.lego(lego, concat(common, "revoke"));
        assertThat(revoke.exit()).as(revoke.output()).isZero();
        var view = stack.ca.call(io.upki.pki.wire.CaTask.VIEW, io.upki.pki.caclient.CaClient.params()
                .put("serial", cert.getSerialNumber()));
        assertThat(view.toString()).contains("revoked");
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Set<String> names(Path pem) throws Exception {
        X509Certificate cert = Pem.parseCertificate(Files.readString(pem));
        Set<String> out = new TreeSet<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            out.add(String.valueOf(san.get(1)));
        }
        return out;
    }
}
