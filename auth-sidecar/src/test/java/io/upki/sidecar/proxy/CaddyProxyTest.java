package io.upki.sidecar.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The sidecar behind a real Caddy 2.6 ({@code forward_auth}), configured as {@code deploy/caddy/Caddyfile.template}. */
class CaddyProxyTest extends ProxyScenarios {
    private ProxyProcess caddy;

    @Override
    String profile() {
        return "caddy";
    }

    @Override
    ProxyProcess startProxy(Path work, int port, String sidecarAddress, String upstreamAddress, ProxyPki pki)
            throws IOException {
        String conf = ProxyConfigs.fill(ProxyConfigs.fill(ProxyConfigs.CADDYFILE, ProxyConfigs.mutualTls(pki), false), Map.of("SIDECAR", sidecarAddress, "UPSTREAM", upstreamAddress,
                "BIND", "127.0.0.1", "SERVER_NAME", ProxyConfigs.SERVER_NAME, "PORT", Integer.toString(port),
                "CERT", pki.server.cert().toString(), "KEY", pki.server.key().toString()));
        Path file = Files.writeString(work.resolve("Caddyfile"), conf);
        // Caddy's storage and autosave go to XDG folders: keep them in the test's folder.
        Path home = Files.createDirectories(work.resolve("home"));
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString());
        caddy = ProxyProcess.start("caddy", List.of(ProxyProcess.binary("/usr/bin/caddy", "caddy"), "run", "--config",
                file.toString(), "--adapter", "caddyfile"), env, work, port);
        return caddy;
    }

    @Override
    String testedTemplate() {
        return ProxyConfigs.CADDYFILE;
    }

    @Override
    String documentedExample() {
        return "caddy/Caddyfile.template";
    }

    @Override
    String proxyLog() {
        return caddy == null ? "" : caddy.log();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void caddyReportedNoProxyError() {
        assertThat(proxyLog()).isNotEmpty().doesNotContain("\"level\":\"error\"").doesNotContain("\"status\":502")
                .doesNotContain("\"status\":500");
    }
}
