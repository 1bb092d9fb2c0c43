package io.upki.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.wire.CaTask;
import io.upki.pki.x509.Pem;
import io.upki.sidecar.testing.SidecarHarness;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The sidecar's {@code --ca} list: {@code --register} derived from it (each port + 1), and a real sidecar
 * given a pair whose first CA is down registering with the seed and reading {@code list_admins} through
 * the second.
 */
class SidecarCaListTest {
    @TempDir
    Path dir;

    private static SidecarMain parse(String... args) {
        SidecarMain main = new SidecarMain();
        String[] all = new String[args.length + 2];
        all[0] = "--trust-anchor"; // required, not read here
        all[1] = "ca.crt";
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(main).parseArgs(all);
        return main;
    }

    @Test
    void registrationIsDerivedFromTheCaListWhenASeedAsksForIt() {
        SidecarMain main = parse("--ca", "tcp://a:5000,tcp://b:6000", "--seed", "s3cret");
        CaEndpoints cas = main.caEndpoints(null);

        assertThat(cas.operationsList()).isEqualTo("tcp://a:5000,tcp://b:6000");
        assertThat(main.registration(cas)).isEqualTo("tcp://a:5001,tcp://b:6001");
    }

    @Test
    void anExplicitRegisterWinsAndNoSeedOrAKeyFileMeansNoRegistration() {
        SidecarMain given = parse("--ca", "tcp://a:5000", "--seed", "s", "--register", "tcp://r:7001");
        assertThat(given.registration(given.caEndpoints(null))).isEqualTo("tcp://r:7001");

        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("UPKI_CA_SEED") == null
                && System.getenv("UPKI_CA_SEED_FILE") == null, "a seed is set in this environment");
        SidecarMain noSeed = parse("--ca", "tcp://a:5000");
        assertThat(noSeed.registration(noSeed.caEndpoints(null))).isNull();
        SidecarMain keyFile = parse("--ca", "tcp://a:5000", "--seed", "s", "--assertion-key", "k.pem");
        assertThat(keyFile.registration(keyFile.caEndpoints(null))).isNull();
    }

    @Test
    void theEventFeedIsDerivedFromTheCaListUnlessGivenOrTurnedOff() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("UPKI_CA_EVENTS") == null, "UPKI_CA_EVENTS is set here");
        SidecarMain pair = parse("--ca", "tcp://a:5000,tcp://b:6000");
        assertThat(pair.fallback(pair.caEndpoints(null)).caEvents()).isEqualTo("tcp://a:5002,tcp://b:6002");

        SidecarMain given = parse("--ca", "tcp://a:5000", "--ca-events", "tcp://feed:7002");
        assertThat(given.fallback(given.caEndpoints(null)).caEvents()).isEqualTo("tcp://feed:7002");
        SidecarMain off = parse("--ca", "tcp://a:5000", "--ca-events", "none");
        assertThat(off.fallback(off.caEndpoints(null))).isNull();
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("UPKI_CA") == null, "UPKI_CA is set here");
        SidecarMain noCa = parse("--admins", "admins.txt");
        assertThat(noCa.fallback(noCa.caEndpoints(null))).isNull();
    }

    @Test
    void theOlderVariableIsReadWithoutCaAndAMalformedListIsRefused() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("UPKI_CA") == null, "UPKI_CA is set here");
        assertThat(parse().caEndpoints(null)).isNull();
        assertThat(parse().caEndpoints("tcp://old:5000").operations()).containsExactly("tcp://old:5000");
        assertThatThrownBy(() -> parse("--ca", "tcp://a:5000,,tcp://b:5000").caEndpoints(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has an empty element");
    }

    @Test
    void aPairWhoseFirstCaIsDownRegistersAndReadsAdminsThroughTheSecond() throws Exception {
        TestCa.initialize(dir.resolve("ca"), "ec");
        int dead = TestCa.freePortBlock();
        try (TestCa ca = TestCa.open(dir.resolve("ca"), Duration.ofDays(7), null, Clock.systemUTC(), TestCa.freePortBlock())) {
            CaEndpoints pair = CaEndpoints.parse("tcp://127.0.0.1:" + dead + "," + ca.opsEndpoint(), "--ca");
            Path caCrt = Files.writeString(dir.resolve("ca.crt"), ca.call(CaTask.GET_CA, CaClient.params()).asText());
            Path crl = Files.write(dir.resolve("crl.der"), ca.client().generateCrl());
            SidecarConfig config = SidecarHarness.registering(caCrt, crl, pair.registrationList(), pair.operationsList(),
                    "sidecar-pair", dir.resolve("state"));
            try (SidecarHarness sidecar = SidecarHarness.start(config, Clock.systemUTC())) {
                assertThat(ca.call(CaTask.GET_NODE, CaClient.params().put("cn", "sidecar-pair")).get("profile").asText())
                        .isEqualTo("sidecar");
                String pem = ca.client().sign(TestKeys.csr("CN=ops.example.internal"), "user").get("certificate").asText();
                String cert = Base64.getEncoder().encodeToString(Pem.parseCertificate(pem).getEncoded());
                ca.call(CaTask.ADD_ADMIN, CaClient.params().put("dn", "/CN=ops.example.internal"));
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                int status = 0;
                while (System.nanoTime() < until && status != 200) {
                    HttpResponse<String> r = sidecar.get("/auth/traefik", Map.of("X-Forwarded-Tls-Client-Cert", cert,
                            "X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/api/v1/health"));
                    status = r.statusCode();
                    Thread.sleep(100);
                }
                // An admin only through list_admins, which the sidecar reads from the pair's second CA.
                assertThat(status).isEqualTo(200);
            }
        }
    }
}
