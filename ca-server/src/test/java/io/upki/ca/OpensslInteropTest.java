package io.upki.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** OpenSSL, an independent implementation, accepts what the CA produces: certificates, chains and CRLs. */
class OpensslInteropTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ec", "rsa"})
    void opensslVerifiesCertificatesAndCrls(String keyType) throws Exception {
        try (TestCa ca = TestCa.start(dir, keyType, Duration.ofDays(7), "http://crl.example.internal:8081/crl.der")) {
            Path caCrt = write("ca.crt", ca.call(CaTask.GET_CA, CaClient.params()).asText());
            Path good = write("good.crt", ca.client().sign(
                    TestKeys.csr(TestKeys.ec256(), "CN=good.example.com", List.of("good.example.com")), "server")
                    .get("certificate").asText());
            Path revoked = write("revoked.crt", ca.client().sign(TestKeys.csr("CN=revoked.example.com"), "admin")
                    .get("certificate").asText());
            ca.call(CaTask.REVOKE, CaClient.params().put("dn", "/CN=revoked.example.com").put("reason", "cessationOfOperation"));
            byte[] der = Base64.getDecoder().decode(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
            Path crlDer = dir.resolve("crl.der");
            Files.write(crlDer, der);
            Path crlPem = dir.resolve("crl.pem");
            assertThat(openssl("crl", "-inform", "DER", "-in", crlDer.toString(), "-out", crlPem.toString())).contains("exit=0");

            assertThat(openssl("verify", "-CAfile", caCrt.toString(), good.toString())).contains(good + ": OK");
            assertThat(openssl("verify", "-purpose", "sslserver", "-CAfile", caCrt.toString(), good.toString())).contains(": OK");
            assertThat(openssl("verify", "-purpose", "sslclient", "-CAfile", caCrt.toString(), revoked.toString())).contains(": OK");
            // With the CRL, OpenSSL refuses the revoked certificate and still accepts the good one.
            assertThat(openssl("verify", "-crl_check", "-CAfile", caCrt.toString(), "-CRLfile", crlPem.toString(),
                    good.toString())).contains(": OK");
            assertThat(openssl("verify", "-crl_check", "-CAfile", caCrt.toString(), "-CRLfile", crlPem.toString(),
                    revoked.toString())).contains("certificate revoked").doesNotContain(": OK");
            String crlText = openssl("crl", "-in", crlPem.toString(), "-CAfile", caCrt.toString(), "-noout", "-text");
            assertThat(crlText).contains("verify OK").contains("X509v3 CRL Number").contains("Cessation Of Operation")
                    .contains("X509v3 Authority Key Identifier").contains("Version 2");
            String certText = openssl("x509", "-in", good.toString(), "-noout", "-text");
            assertThat(certText).contains("X509v3 Subject Key Identifier").contains("X509v3 Authority Key Identifier")
                    .contains("X509v3 Basic Constraints: critical").contains("X509v3 Key Usage: critical")
                    .contains("URI:http://crl.example.internal:8081/crl.der").contains("DNS:good.example.com");
        }
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static String openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out + "\nexit=" + p.exitValue();
    }
}
