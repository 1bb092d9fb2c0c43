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

    static Set<String> names(Path pem) throws Exception {
        X509Certificate cert = Pem.parseCertificate(Files.readString(pem));
        Set<String> out = new TreeSet<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            out.add(String.valueOf(san.get(1)));
        }
        return out;
    }
}
