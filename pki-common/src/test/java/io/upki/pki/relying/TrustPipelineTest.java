package io.upki.pki.relying;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.pki.assertion.Identity;
import io.upki.pki.crlfeed.CrlSources;
import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.Role;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import io.upki.testkit.ForwardAuthVectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relying party's pipeline over the forward-auth vectors' PKI (root, issuing CA, CRLs): each step
 * refuses with its own reason, a remembered path is still checked at every admission, and the admin
 * list decides the role and drops remembered paths when it changes.
 */
class TrustPipelineTest {
    /** The vectors' evaluation time: every certificate but the expired one is valid, the CRLs are current. */
    private static final Instant AT = Instant.parse("2027-01-01T00:00:00Z");
    private static final Path V = ForwardAuthVectors.dir();

    @TempDir
    Path dir;
    private final List<TrustPipeline> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(TrustPipeline::close);
    }

    private static List<X509Certificate> pem(String file) throws IOException {
        return Pem.parseCertificates(Files.readString(V.resolve(file), StandardCharsets.US_ASCII));
    }

    private TrustPipeline start(List<String> crls, AdminSource admins) throws IOException {
        return start(crls, admins, AT);
    }

    private TrustPipeline start(List<String> crls, AdminSource admins, Instant now) throws IOException {
        TrustConfig config = new TrustConfig(pem("ca-root.crt"), pem("ca-intermediate.crt"),
                new TrustConfig.CrlFeed(crls, null, Duration.ofMinutes(5), CrlSources.holderName("test"), null),
                Duration.ZERO, admins, 100);
        TrustPipeline p = TrustPipeline.start(config, Clock.fixed(now, ZoneOffset.UTC));
        started.add(p);
        return p;
    }

    private TrustPipeline start() throws IOException {
        return start(List.of(V.resolve("crl-bundle.pem").toString()), AdminSource.none());
    }

    private static Refusal refusal(TrustPipeline p, String chain) {
        try {
            p.verify(pem(chain));
            throw new AssertionError(chain + " was admitted");
        } catch (RefusedException e) {
            return e.refusal();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aClientChainPassesEveryStepAndComesOutAsAClient() throws Exception {
        TrustPipeline p = start();
        X509Certificate leaf = pem("pki/client.crt").get(0);
        Identity id = p.verify(pem("pki/client-chain.pem"));
        assertThat(id.subject()).isEqualTo("CN=operator-01,2.5.4.5=OP-0001,OU=RA Clients,OU=Operators,"
                + "O=Example RA Test,L=Berlin,ST=Berlin,C=DE,DC=example,DC=org");
        assertThat(id.serialHex()).isEqualTo("1001");
        assertThat(id.fingerprint()).isEqualTo(CertificateFacts.sha256Fingerprint(leaf));
        assertThat(id.role()).isEqualTo(Role.CLIENT);
        assertThat(id.crlNumber()).as("the issuing CA's CRL").isEqualTo("4096");
        // nginx sends the leaf alone: the configured intermediate completes the path.
        assertThat(p.verify(List.of(leaf))).isEqualTo(id);
        assertThat(p.ready()).isTrue();
    }

    @Test
    void aForeignCaIsRefusedAtThePathStep() throws Exception {
        assertThat(refusal(start(), "pki/client-rogue-chain.pem")).isEqualTo(Refusal.UNKNOWN_CA);
    }

    @Test
    void anExpiredCertificateIsRefusedForItsValidity() throws Exception {
        assertThat(refusal(start(), "pki/client-expired-chain.pem")).isEqualTo(Refusal.EXPIRED);
    }

    @Test
    void aRevokedCertificateIsRefusedAtTheRevocationStep() throws Exception {
        assertThat(refusal(start(), "pki/client-revoked-chain.pem")).isEqualTo(Refusal.REVOKED);
    }

    @Test
    void withoutACurrentCrlEveryClientIsRefused() throws Exception {
        TrustPipeline p = start(List.of(), AdminSource.none());
        assertThat(p.ready()).isFalse();
        assertThat(refusal(p, "pki/client-chain.pem")).isEqualTo(Refusal.NO_CRL);
    }

    @Test
    void aRememberedPathIsCheckedForValidityAtEachAdmission() throws Exception {
        TrustPipeline p = start();
        TrustedClient client = p.path("header-digest", pem("pki/client-chain.pem"));
        assertThat(p.remembered("header-digest")).isSameAs(client);
        assertThat(p.admit(client).role()).isEqualTo(Role.CLIENT);
        // The same verified path admitted after the leaf's notAfter (2031-01-01): validity is decided again.
        TrustPipeline later = start(List.of(V.resolve("crl-bundle.pem").toString()), AdminSource.none(),
                Instant.parse("2031-06-01T00:00:00Z"));
        assertThatThrownBy(() -> later.admit(client))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.EXPIRED));
    }

    @Test
    void theAdminListDecidesTheRoleAndAChangeDropsRememberedPaths() throws Exception {
        String subject = start().verify(pem("pki/client-chain.pem")).subject();
        Path admins = Files.writeString(dir.resolve("admins.txt"), subject + "\n");
        TrustPipeline p = start(List.of(V.resolve("crl-bundle.pem").toString()),
                AdminSource.file(admins, Duration.ofMillis(50)));
        TrustedClient client = p.path("header-digest", pem("pki/client-chain.pem"));
        assertThat(p.admit(client).role()).isEqualTo(Role.ADMIN);

        Files.writeString(admins, "# nobody\n");
        Files.setLastModifiedTime(admins, FileTime.from(Instant.now().plusSeconds(5)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (p.remembered("header-digest") != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.remembered("header-digest")).as("dropped when the list changed").isNull();
        assertThat(p.admit(client).role()).isEqualTo(Role.CLIENT);
    }

    @Test
    void anUnreadableAdminFileStopsTheStart() {
        assertThatThrownBy(() -> start(List.of(), AdminSource.file(dir.resolve("missing.txt"), Duration.ofSeconds(1))))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.txt");
    }

    @Test
    void aBadConfigurationNamesTheOffendingSetting() throws Exception {
        TrustConfig.CrlFeed feed = new TrustConfig.CrlFeed(List.of(), null, Duration.ofSeconds(1), "test", null);
        assertThatThrownBy(() -> new TrustConfig(List.of(), List.of(), feed, Duration.ZERO, AdminSource.none(), 0))
                .hasMessageStartingWith("trust-anchor:");
        assertThatThrownBy(() -> new TrustConfig(pem("ca-root.crt"), List.of(), feed, Duration.ofSeconds(-1),
                AdminSource.none(), 0)).hasMessageStartingWith("crl-grace:");
        assertThatThrownBy(() -> new TrustConfig.CrlFeed(List.of(), null, Duration.ZERO, "test", null))
                .hasMessageStartingWith("crl-poll:");
        assertThatThrownBy(() -> AdminSource.file(dir, Duration.ZERO)).hasMessageStartingWith("admin-refresh:");
    }
}
