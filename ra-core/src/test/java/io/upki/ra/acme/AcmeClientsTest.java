package io.upki.ra.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ra.RaConfig;
import io.upki.ra.RaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other real clients and modes: certbot 2.1 standalone http-01, lego dns-01 (and a wildcard)
 * with pebble-challtestsrv as the DNS server, lego with External Account Binding, and the RA in edge
 * mode (plain HTTP behind the proxy) where /acme is public and authenticated by JWS alone.
 */
class AcmeClientsTest {
    @TempDir
    static Path dir;
    static AcmeStack stack;
    static byte[] eabKey = new byte[32];
    static String eabDirectory;

    @BeforeAll
    static void start() throws Exception {
        stack = new AcmeStack(dir);
        stack.startRa(RaConfig.Mode.DIRECT, stack.settings(Map.of()));
        new SecureRandom().nextBytes(eabKey);
        RaServer eab = stack.startRa(RaConfig.Mode.DIRECT, stack.settings(Map.of("team-a", eabKey)), "ra-eab");
        eabDirectory = AcmeStack.directoryOf(eab, RaConfig.Mode.DIRECT);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void certbotStandaloneHttp01() throws Exception {
        Path base = dir.resolve("certbot");
        AcmeStack.Run run = stack.run(List.of("certbot", "certonly", "--standalone", "--non-interactive", "--agree-tos",
                "--no-eff-email", "-m", "ops@example.internal", "--server", stack.directory,
                "--http-01-port", Integer.toString(stack.httpPort), "--http-01-address", "127.0.0.1",
                "-d", "certbot.example.internal", "-d", "www.certbot.example.internal",
                "--config-dir", base.resolve("config").toString(), "--work-dir", base.resolve("work").toString(),
                "--logs-dir", base.resolve("logs").toString()),
                Map.of("REQUESTS_CA_BUNDLE", stack.caCrt.toString()), Duration.ofSeconds(180));
        assertThat(run.exit()).as(run.output()).isZero();
        Path crt = base.resolve("config/live/certbot.example.internal/cert.pem");
        assertThat(stack.opensslVerify(crt).output()).contains(": OK");
        assertThat(AcmeLegoTest.names(crt)).containsExactly("certbot.example.internal", "www.certbot.example.internal");
    }

    @Test
    void legoDns01WithAWildcardThroughChalltestsrv() throws Exception {
        Path hook = dir.resolve("dns-hook.sh");
        Files.writeString(hook, "#!/bin/sh\n# lego exec provider: $1 present|cleanup, $2 fqdn, $3 value\n"
                + "case \"$1\" in\n"
                + "  present) curl -sf -X POST -d \"{\\\"host\\\":\\\"$2\\\",\\\"value\\\":\\\"$3\\\"}\" http://127.0.0.1:"
                + stack.dnsManagementPort + "/set-txt ;;\n"
                + "  cleanup) curl -sf -X POST -d \"{\\\"host\\\":\\\"$2\\\"}\" http://127.0.0.1:" + stack.dnsManagementPort
                + "/clear-txt ;;\nesac\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        Path lego = dir.resolve("lego-dns");
        AcmeStack.Run run = stack.legoWith(Map.of("EXEC_PATH", hook.toString(), "EXEC_PROPAGATION_TIMEOUT", "20",
                "EXEC_POLLING_INTERVAL", "1", "EXEC_SEQUENCE_INTERVAL", "1"), stack.directory, lego, "--dns", "exec", "--dns.resolvers",
                "127.0.0.1:" + stack.dnsPort, "--dns.disable-cp", "-d", "dns.example.internal",
                "-d", "*.dns.example.internal", "run");
        assertThat(run.exit()).as(run.output()).isZero();
        Path crt = lego.resolve("certificates/dns.example.internal.crt");
        assertThat(stack.opensslVerify(crt).output()).contains(": OK");
        assertThat(AcmeLegoTest.names(crt)).containsExactly("*.dns.example.internal", "dns.example.internal");
    }

    @Test
    void externalAccountBindingIsRequiredWhenConfigured() throws Exception {
        String[] args = {"--http", "--http.port", "127.0.0.1:" + stack.httpPort, "-d", "eab.example.internal", "run"};
        AcmeStack.Run without = stack.legoAt(eabDirectory, dir.resolve("lego-no-eab"), args);
        assertThat(without.exit()).isNotZero();
        assertThat(without.output()).contains("External Account Binding");
        AcmeTestClient bare = new AcmeTestClient(AcmeTestClient.trusting(stack.caCrt), eabDirectory, AcmeTestClient.ec256());
        assertThat(bare.directory.path("meta").path("externalAccountRequired").asBoolean()).isTrue();
        assertThat(bare.newAccount().type()).isEqualTo("urn:ietf:params:acme:error:externalAccountRequired");
        String hmac = Base64.getUrlEncoder().withoutPadding().encodeToString(eabKey);
        AcmeStack.Run wrong = stack.legoAt(eabDirectory, dir.resolve("lego-bad-eab"),
                AcmeLegoTest.concat(new String[] {"--eab", "--kid", "team-a", "--hmac",
                        Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])}, args));
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.output()).contains("unauthorized");
        AcmeStack.Run with = stack.legoAt(eabDirectory, dir.resolve("lego-eab"),
                AcmeLegoTest.concat(new String[] {"--eab", "--kid", "team-a", "--hmac", hmac}, args));
        assertThat(with.exit()).as(with.output()).isZero();
        assertThat(stack.opensslVerify(dir.resolve("lego-eab/certificates/eab.example.internal.crt")).output()).contains(": OK");
        // one binding key, one account
        AcmeStack.Run reuse = stack.legoAt(eabDirectory, dir.resolve("lego-eab-2"),
                AcmeLegoTest.concat(new String[] {"--eab", "--kid", "team-a", "--hmac", hmac, "--email", "other@example.internal"}, args));
        assertThat(reuse.exit()).isNotZero();
    }

    @Test
    void edgeModeServesAcmeOverPlainHttpWithoutAnyAssertion() throws Exception {
        RaServer edge = stack.startRa(RaConfig.Mode.EDGE, stack.settings(Map.of()), "ra-edge");
        String directory = AcmeStack.directoryOf(edge, RaConfig.Mode.EDGE);
        try (ChallengeResponders.Http http = new ChallengeResponders.Http(stack.httpPort)) {
            AcmeTestClient c = new AcmeTestClient(java.net.http.HttpClient.newHttpClient(), directory, AcmeTestClient.ec256());
            assertThat(c.newAccount().status()).isEqualTo(201);
            String order = AcmeFlows.readyOrder(c, http, "dns", "edge.example.internal");
            AcmeTestClient.Reply done = AcmeFlows.finalizeOrder(c, order, AcmeFlows.csr("CN=edge.example.internal",
                    List.of("edge.example.internal")));
            assertThat(done.json().path("status").asText()).as(done.raw().body()).isEqualTo("valid");
        }
        // behind the proxy, the URLs a client signs are the proxy's
        var viaProxy = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(directory)).header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "ra.example.internal")
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(viaProxy.body()).contains("\"newOrder\":\"https://ra.example.internal/acme/new-order\"");
    }
}
