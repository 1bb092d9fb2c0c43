package io.upki.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The whole stack with {@code UPKI_CA_CLIENT_AUTH=curve bin/upki up}: every process reaches the CA with
 * its own CURVE key, the operator's upki-cli with the operator key {@code up} enrolled, and a peer
 * without a known key gets nothing from the CA. The guide's steps otherwise unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CurveStackTest {
    @RegisterExtension
    static final LocalStack stack = LocalStack.forClass(Map.of("UPKI_CA_CLIENT_AUTH", "curve"));
    @TempDir
    static Path tmp;
    @TempDir
    static Path operator;

    /** The operator's environment, as {@code up} tells it to export. */
    private Map<String, String> operatorEnv() {
        Map<String, String> env = new HashMap<>(stack.env());
        env.put("UPKI_CA_PUBLIC_KEY", stack.home.resolve("ca/curve.pub").toString());
        env.put("UPKI_CLI_CLIENT_KEY", stack.home.resolve("cli/operator.key").toString());
        return env;
    }

    private Command cli(Map<String, String> env, String... args) throws IOException {
        String[] argv = new String[args.length + 1];
        argv[0] = stack.root.resolve("bin/upki-cli").toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        return Command.run(operator, env, Duration.ofMinutes(1), argv);
    }

    private Command curl(String... args) throws IOException {
        return stack.curl(operator, args);
    }

    @Test
    @Order(1)
    void upSaysHowToUseTheOperatorKeyAndEveryKeyIsPrivate() throws Exception {
        assertThat(stack.up.stdout()).as(stack.up.toString()).contains("CURVE clients only",
                "UPKI_CA_PUBLIC_KEY=" + stack.home.resolve("ca/curve.pub"),
                "UPKI_CLI_CLIENT_KEY=" + stack.home.resolve("cli/operator.key"));
        for (String key : new String[] {"ca/curve.key", "cli/operator.key", "crl-publisher/ca-client.key",
                "sidecar/ca-client.key", "ra/ca-client.key"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stack.home.resolve(key))))
                    .as(key).isEqualTo("rw-------");
        }
        Command clients = cli(operatorEnv(), "clients", "list");
        assertThat(clients.stdout()).as(clients.toString()).contains("operator", "crl-publisher", "sidecar", "ra");
    }

    @Test
    @Order(2)
    void thePlainProtocolGetsNoAnswerFromACurveCa() {
        try (ZContext zmq = new ZContext(); ZMQ.Socket req = zmq.createSocket(SocketType.REQ)) {
            req.setLinger(0);
            req.setReceiveTimeOut(3000);
            req.connect("tcp://127.0.0.1:" + stack.caPort);
            req.send("{\"TASK\": \"generate\", \"params\": {\"cn\": \"evil.example.internal\", \"profile\": \"admin\"}}");
            assertThat(req.recvStr()).isNull();
        }
    }

    @Test
    @Order(3)
    void theOperatorKeyIssuesTheAdminCertificateAndCurlGets200() throws Exception {
        Command gen = cli(operatorEnv(), "generate", "--host", "127.0.0.1", "--cn", "admin.example.internal",
                "--profile", "admin");
        assertThat(gen.exitCode()).as(gen.toString()).isZero();
        Command ok = curl("-s", "-w", "\n%{http_code}", "--cert", "admin.crt", "--key", "admin.key", "--cacert", "ca.crt",
                stack.health());
        assertThat(ok.stdout()).as(ok.toString()).endsWith("\n200").contains("\"role\":\"admin\"");
    }

    @Test
    @Order(4)
    void aKeyTheCaDoesNotKnowIsRefusedAndIssuesNothing() throws Exception {
        Map<String, String> stranger = operatorEnv();
        stranger.put("UPKI_CLI_CLIENT_KEY", tmp.resolve("stranger.key").toString());
        Command gen = cli(stranger, "generate", "--cn", "evil.example.internal", "--profile", "admin", "--name", "evil",
                "--timeout", "2");
        assertThat(gen.exitCode()).as(gen.toString()).isEqualTo(3);
        assertThat(gen.stderr()).contains("known to the CA");
        Command list = cli(operatorEnv(), "list", "--json");
        assertThat(list.stdout()).as(list.toString()).doesNotContain("evil.example.internal");
    }

    @Test
    @Order(5)
    void revokeThenGenerateCrlLocksTheAdminOut() throws Exception {
        Command revoke = cli(operatorEnv(), "revoke", "--dn", "/CN=admin.example.internal", "--reason",
                "cessationOfOperation");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        Command crl = cli(operatorEnv(), "generate-crl");
        assertThat(crl.exitCode()).as(crl.toString()).isZero();
        assertThat(stack.awaitEdgeStatus(operator, "admin", "403")).as("the revoked admin is refused").isEqualTo("403");
    }

    @Test
    @Order(6)
    void statusReportsEveryProcessHealthy() throws Exception {
        Command status = stack.upki("status", "--home", stack.home.toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
    }
}
