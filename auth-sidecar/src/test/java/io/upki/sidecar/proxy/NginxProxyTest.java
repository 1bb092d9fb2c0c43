package io.upki.sidecar.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.sidecar.proxy.Curl.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The sidecar behind a real nginx 1.22 ({@code auth_request}), configured as {@code deploy/nginx/upki-site.conf.template}. */
class NginxProxyTest extends ProxyScenarios {
    private Path prefix;

    @Override
    String profile() {
        return "nginx";
    }

    @Override
    ProxyProcess startProxy(Path work, int port, String sidecarAddress, String upstreamAddress, ProxyPki pki)
            throws IOException {
        prefix = work;
        for (String t : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(work.resolve("tmp").resolve(t));
        }
        String site = ProxyConfigs.fill(ProxyConfigs.fill(ProxyConfigs.NGINX_SITE, ProxyConfigs.mutualTls(pki), false), Map.of("SIDECAR", sidecarAddress, "UPSTREAM", upstreamAddress,
                "LISTEN", "127.0.0.1:" + port, "SERVER_NAME", ProxyConfigs.SERVER_NAME,
                "CERT", pki.server.cert().toString(), "KEY", pki.server.key().toString()));
        // As root, workers would run as nobody and could not enter the private temp folder.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;" : "";
        String conf = ProxyConfigs.fill(ProxyConfigs.NGINX_TEST_CONF, Map.of("USER", user, "PREFIX", work.toString(), "SITE", site));
        Path file = Files.writeString(work.resolve("nginx.conf"), conf);
        return ProxyProcess.start("nginx", List.of(ProxyProcess.binary("/usr/sbin/nginx", "nginx"), "-p", work + "/",
                "-c", file.toString(), "-e", work.resolve("error.log").toString(), "-g", "daemon off; master_process on;"),
                Map.of(), work, port);
    }

    @Override
    String testedTemplate() {
        return ProxyConfigs.NGINX_SITE;
    }

    @Override
    String documentedExample() {
        return "nginx/upki-site.conf.template";
    }

    @Override
    String proxyLog() {
        return read(prefix.resolve("error.log"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void nginxNeverTurnedASidecarAnswerInto500() {
        String errors = proxyLog();
        assertThat(errors).isNotEmpty().doesNotContain("auth request unexpected status")
                .doesNotContain("too big header").doesNotContain("[crit]").doesNotContain("[emerg]");
        assertThat(read(prefix.resolve("access.log"))).doesNotContain("\" 500 ").doesNotContain("\" 502 ");
    }

    @Test
    void theAuthLocationIsInternal() throws Exception {
        Response r = Curl.get(pki, port, "/_upki_auth", pki.admin, Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(404);
    }
}
