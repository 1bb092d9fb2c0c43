package io.upki.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml keeps the CA to the upki services (docs/SECURITY.md section 3): the CA is on an
 * internal network of its own that Traefik is not on, and it accepts CURVE clients only.
 */
class CaNetworkTest {
    private final JsonNode compose = Stack.repo().compose().root();

    private List<String> networksOf(String service) {
        List<String> names = new ArrayList<>();
        JsonNode networks = compose.at("/services/" + service + "/networks");
        if (networks.isArray()) {
            networks.forEach(n -> names.add(n.asText()));
        } else {
            networks.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    @Test
    void onlyTheUpkiServicesJoinTheCaNetworkAndItHasNoRouteOut() {
        List<String> members = new ArrayList<>();
        compose.get("services").fieldNames().forEachRemaining(s -> {
            if (networksOf(s).contains("ca")) {
                members.add(s);
            }
        });
        assertThat(members).containsExactlyInAnyOrder("ca-init", "ca-server", "crl-publisher", "crl-publisher-b",
                "auth-sidecar", "ra-core");
        assertThat(networksOf("traefik")).doesNotContain("ca");
        assertThat(networksOf("ca-server")).containsExactly("ca");
        assertThat(compose.at("/networks/ca/internal").asBoolean()).isTrue();
        assertThat(compose.at("/services/ca-server/ports").isMissingNode()).isTrue();
    }

    @Test
    void theCaRequiresCurveAndEveryClientNamesItsPublicKey() {
        assertThat(compose.at("/services/ca-server/command").toString()).contains("\"--client-auth\",\"curve\"");
        for (String client : List.of("crl-publisher", "crl-publisher-b", "auth-sidecar", "ra-core")) {
            assertThat(compose.at("/services/" + client + "/command").toString()).as(client)
                    .contains("\"--ca-public-key\",\"/etc/upki/ca-curve.pub\"");
        }
        // The publisher enrols through ca-init, never with the seed.
        assertThat(compose.at("/services/crl-publisher/environment/UPKI_CA_SEED").isMissingNode()).isTrue();
        assertThat(compose.at("/services/crl-publisher-b/environment/UPKI_CA_SEED").isMissingNode()).isTrue();
    }
}
