package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Docker labels in Traefik's dynamic-configuration shape, and the user guide's four labels as written. */
class TraefikLabelsTest {
    /** shared/seed/mtls-admin-setup.txt, "Docker compose with mTLS admin", word for word. */
    static final String[] GUIDE_LABELS = {
        "traefik.http.routers.upki-ra-admin.rule=Host(`ra.example.internal`) && PathPrefix(`/api/v1`)",
        "traefik.http.routers.upki-ra-admin.tls=true",
        "traefik.http.routers.upki-ra-admin.tls.certresolver=upki",
        "traefik.http.routers.upki-ra-admin.middlewares=strip-admin",
    };

    @Test
    void theUserGuideLabelsAreOnRaCoreVerbatim() {
        JsonNode labels = Stack.repo().compose().service("ra-core").path("labels");
        assertThat(labels.findValuesAsText("")).isEmpty();
        java.util.List<String> texts = new java.util.ArrayList<>();
        labels.forEach(l -> texts.add(l.asText()));
        assertThat(texts).contains(GUIDE_LABELS);
    }

    @Test
    void theGuideLabelsAgreeWithTheGuideText() {
        String guide = Repo.read(Repo.root().resolve("../shared/seed/mtls-admin-setup.txt").normalize());
        for (String label : GUIDE_LABELS) {
            assertThat(guide).contains("\"" + label + "\"");
        }
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
