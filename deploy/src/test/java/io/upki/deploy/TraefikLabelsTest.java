package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Docker labels in Traefik's dynamic-configuration shape, and the user guide's four labels as written. */
class TraefikLabelsTest {
    /** The guide's "Docker compose with mTLS admin" labels, word for word: what administrators type. */
    static final String[] GUIDE_LABELS = {
        "traefik.http.routers.upki-ra-admin.rule=Host(`ra.example.internal`) && PathPrefix(`/api/v1`)",
        "traefik.http.routers.upki-ra-admin.tls=true",
        "traefik.http.routers.upki-ra-admin.tls.certresolver=upki",
        "traefik.http.routers.upki-ra-admin.middlewares=strip-admin",
    };

    /** The labels of docs/USER-GUIDE.md: its one yaml block that starts with {@code labels:}, in order. */
    static List<String> userGuideLabels() {
        String guide = Repo.read(Repo.root().resolve("docs/USER-GUIDE.md"));
        Matcher block = Pattern.compile("(?ms)^```yaml\\n(labels:\\n.*?)^```$").matcher(guide);
        assertThat(block.find()).as("docs/USER-GUIDE.md has a ```yaml block that starts with labels:").isTrue();
        String yaml = block.group(1);
        assertThat(block.find()).as("docs/USER-GUIDE.md has only one labels block").isFalse();
        List<String> labels = new ArrayList<>();
        Repo.yaml(yaml).path("labels").forEach(l -> labels.add(l.asText()));
        return labels;
    }

    @Test
    void theUserGuideLabelsAreOnRaCoreVerbatim() {
        JsonNode labels = Stack.repo().compose().service("ra-core").path("labels");
        assertThat(labels.findValuesAsText("")).isEmpty();
        List<String> texts = new ArrayList<>();
        labels.forEach(l -> texts.add(l.asText()));
        List<String> guide = userGuideLabels();
        assertThat(guide).isNotEmpty();
        assertThat(texts).containsAll(guide);
    }

    @Test
    void theGuideLabelsAgreeWithTheGuideText() {
        assertThat(userGuideLabels()).containsExactly(GUIDE_LABELS);
    }

    @Test
    void labelsBecomeNestedMapsWithTraefikFieldNamesListsAndServers() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("traefik.enable", "true");
        labels.put("traefik.http.routers.r.rule", "Host(`a`)");
        labels.put("traefik.http.routers.r.tls", "true");
        labels.put("traefik.http.routers.r.tls.certresolver", "upki");
        labels.put("traefik.http.routers.r.entrypoints", "websecure, web");
        labels.put("traefik.http.routers.r.priority", "7");
        labels.put("traefik.http.routers.r.tls.domains[0].main", "a.example");
        labels.put("traefik.http.middlewares.m.chain.middlewares", "x@file,y@file");
        labels.put("traefik.http.middlewares.p.passtlsclientcert.pem", "true");
        labels.put("traefik.http.services.s.loadbalancer.server.port", "8000");
        TraefikLabels.Result r = TraefikLabels.parse("ra-core", labels);

        assertThat(r.problems()).isEmpty();
        assertThat(r.enabled()).isTrue();
        JsonNode http = r.dynamic().path("http");
        assertThat(http.at("/routers/r/tls/certResolver").asText()).isEqualTo("upki");
        assertThat(http.at("/routers/r/entryPoints").toString()).isEqualTo("[\"websecure\",\"web\"]");
        assertThat(http.at("/routers/r/priority").isIntegralNumber()).isTrue();
        assertThat(http.at("/routers/r/tls/domains/0/main").asText()).isEqualTo("a.example");
        assertThat(http.at("/middlewares/m/chain/middlewares").size()).isEqualTo(2);
        assertThat(http.at("/middlewares/p/passTLSClientCert/pem").asBoolean()).isTrue();
        assertThat(http.at("/services/s/loadBalancer/servers/0/url").asText()).isEqualTo("http://ra-core:8000");
        assertThat(Schemas.validate(Schemas.TRAEFIK_DYNAMIC, r.dynamic())).isEmpty();
    }

    @Test
    void tlsOptionsAsLabelsAreRefused() {
        TraefikLabels.Result r = TraefikLabels.parse("x",
                Map.of("traefik.tls.options.mine.clientauth.clientauthtype", "RequireAndVerifyClientCert"));
        assertThat(r.problems()).anyMatch(p -> p.contains("cannot be Docker labels"));
    }

    @Test
    void labelsOutsideTraefiksNamespacesAreRefused() {
        TraefikLabels.Result r = TraefikLabels.parse("x", Map.of("traefik.htp.routers.r.rule", "Host(`a`)"));
        assertThat(r.problems()).anyMatch(p -> p.contains("not a Traefik label"));
    }

    @Test
    void aNonBooleanEnableIsRefused() {
        TraefikLabels.Result r = TraefikLabels.parse("x", Map.of("traefik.enable", "yes"));
        assertThat(r.problems()).isNotEmpty();
    }
}
