package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus/prometheus.yml against docker-compose.yml: every scrape target names a compose service
 * and a plain-HTTP listener (--ops-listen or --listen) that service opens on all its interfaces, so that
 * Prometheus on the compose networks reaches /metrics; a loopback-only listener would never be scraped.
 */
class PrometheusTargetsTest {

    @Test
    void everyScrapeTargetIsAListenerItsComposeServiceOpens() throws Exception {
        JsonNode compose = Repo.yaml(Repo.compose());
        List<String> targets = targets();
        assertThat(targets).hasSize(4);
        assertThat(problems(new ComposeFile(compose, Repo.root()).services(), targets)).isEmpty();
    }

    @Test
    void theCaServerServesItsOpsListenerOnTheCaNetworkOnly() {
        JsonNode ca = ComposeFile.load(Repo.compose()).services().get("ca-server");
        assertThat(ca.path("command").toString()).contains("\"--ops-listen\",\"0.0.0.0:5080\"");
        List<String> networks = new ArrayList<>();
        ca.path("networks").forEach(n -> networks.add(n.asText()));
        assertThat(networks).containsExactly("ca");
    }

    @Test
    void aLoopbackOnlyOpsListenerIsFound() throws Exception {
        JsonNode compose = Mutate.at(Repo.yaml(Repo.compose()), "/services/ca-server", s -> {
            String command = s.get("command").toString().replace("0.0.0.0:5080", "127.0.0.1:5080");
            s.set("command", Repo.yaml(command));
        });
        assertThat(problems(new ComposeFile(compose, Repo.root()).services(), targets()))
                .containsExactly("ca-server:5080: no listener on all interfaces");
    }

    @Test
    void aMissingOpsListenerIsFound() throws Exception {
        JsonNode compose = Mutate.at(Repo.yaml(Repo.compose()), "/services/ca-server", s -> {
            ArrayNode command = (ArrayNode) s.get("command");
            for (int i = command.size() - 1; i >= 0; i--) {
                if (command.get(i).asText().equals("--ops-listen")) {
                    command.remove(i + 1);
                    command.remove(i);
                }
            }
        });
        assertThat(problems(new ComposeFile(compose, Repo.root()).services(), targets()))
                .containsExactly("ca-server:5080: no listener on all interfaces");
    }

    static List<String> targets() throws Exception {
        JsonNode doc = Repo.YAML.readTree(PrometheusConfigTest.DIR.resolve("prometheus.yml").toFile());
        List<String> out = new ArrayList<>();
        doc.path("scrape_configs").forEach(job -> job.path("static_configs")
                .forEach(c -> c.path("targets").forEach(t -> out.add(t.asText()))));
        return out;
    }

    static List<String> problems(Map<String, JsonNode> services, List<String> targets) {
        List<String> problems = new ArrayList<>();
        for (String target : targets) {
            String host = target.substring(0, target.lastIndexOf(':'));
            String port = target.substring(target.lastIndexOf(':') + 1);
            JsonNode service = services.get(host);
            if (service == null) {
                problems.add(target + ": no such compose service");
                continue;
            }
            List<String> args = new ArrayList<>();
            service.path("command").forEach(a -> args.add(a.asText()));
            boolean open = false;
            for (int i = 0; i + 1 < args.size(); i++) {
                if ((args.get(i).equals("--ops-listen") || args.get(i).equals("--listen"))
                        && args.get(i + 1).equals("0.0.0.0:" + port)) {
                    open = true;
                }
            }
            if (!open) {
                problems.add(target + ": no listener on all interfaces");
            }
        }
        return problems;
    }
}
