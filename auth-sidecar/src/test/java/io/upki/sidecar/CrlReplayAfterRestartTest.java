package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.sidecar.testing.SidecarHarness;
import io.upki.sidecar.testing.TestPki;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 L3: a sidecar that took CRL #5 (revoking alice) and restarts must not accept the older,
 * still valid CRL #4, which would let alice in again. Real sidecars (HTTP server, CRL file source)
 * started twice on one state directory.
 */
class CrlReplayAfterRestartTest {
    @TempDir
    Path dir;

    SidecarHarness start(Path crlFile, Path stateDir) throws Exception {
        var throwaway = SidecarHarness.throwawaySigning(dir);
        var signing = new SidecarConfig.Signing(throwaway.keyFile(), throwaway.chainFile(), null, null, null, stateDir);
        return SidecarHarness.start(SidecarHarness.config(dir.resolve("root.crt"), dir.resolve("intermediate.crt"),
                List.of(crlFile.toString()), Files.writeString(dir.resolve("admins.txt"), "CN=root-admin\n"), signing,
                "traefik"), Clock.fixed(TestPki.NOW, ZoneOffset.UTC));
    }

    static HttpResponse<String> auth(SidecarHarness sidecar, X509Certificate cert) throws Exception {
        return sidecar.get("/auth", Map.of("X-Forwarded-Tls-Client-Cert", TestPki.base64(cert),
                "X-Forwarded-Uri", "/api/client/me", "X-Forwarded-Method", "GET"));
    }

    static String reason(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        return new ObjectMapper().readTree(r.body()).get("reason").asText();
    }

    static void replace(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anOlderCrlIsRefusedAfterARestart() throws Exception {
        TestPki pki = new TestPki("Replay");
        pki.writeTrust(dir);
        X509Certificate alice = pki.client("alice");
        X509Certificate bob = pki.client("bob");
        Path state = dir.resolve("state");
        Path crlFile = dir.resolve("crls.pem");
        String crl4 = pki.crls(4, List.of(), List.of());
        String crl5 = pki.crls(5, List.of(alice), List.of());
        replace(crlFile, crl5);

        try (SidecarHarness first = start(crlFile, state)) {
            assertThat(reason(auth(first, alice))).isEqualTo("revoked");
            assertThat(auth(first, bob).statusCode()).isEqualTo(200);
        }
        Path numbers = state.resolve(Sidecar.CRL_NUMBERS);
        assertThat(Files.readAllLines(numbers)).filteredOn(l -> !l.startsWith("#")).hasSize(2)
                .allSatisfy(l -> assertThat(l).matches("[0-9a-f]{64} 5 [0-9a-f]{64}"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(numbers))).isEqualTo("rw-r--r--");

        // The attacker (or a stale mirror) serves CRL #4, still within its validity, to the restarted sidecar.
        replace(crlFile, crl4);
        try (SidecarHarness second = start(crlFile, state)) {
            assertThat(reason(auth(second, alice))).isEqualTo("no_crl");
            assertThat(second.get("/ready", Map.of()).statusCode()).isEqualTo(503);
            // CRL #5 again (the very same one) is taken, and newer ones after it.
            replace(crlFile, crl5);
            second.sidecar().refreshCrls();
            assertThat(reason(auth(second, alice))).isEqualTo("revoked");
            assertThat(auth(second, bob).statusCode()).isEqualTo(200);
            replace(crlFile, pki.crls(6, List.of(alice, bob), List.of()));
            second.sidecar().refreshCrls();
            assertThat(reason(auth(second, bob))).isEqualTo("revoked");
        }
        // A CRL #5 with other content than the one accepted is not the same CRL: refused after a restart too.
        replace(crlFile, pki.crls(6, List.of(alice), List.of()));
        try (SidecarHarness third = start(crlFile, state)) {
            assertThat(reason(auth(third, bob))).isEqualTo("no_crl");
        }
    }
}
