package io.upki.sidecar.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ra-core's admin console (/ui/) under the sidecar's default route policy: administrators only. */
class RoutePolicyConsoleTest {
    private final RoutePolicy policy = RoutePolicy.defaults();

    @Test
    void everyConsolePathIsAnAdminRoute() {
        for (String uri : new String[] {"/ui", "/ui/", "/ui/certificates?q=laptop", "/ui/certificates/12/revoke",
                "/ui/static/console.css"}) {
            assertThat(policy.classify(uri)).as(uri).isEqualTo(RouteClass.ADMIN);
        }
    }

    @Test
    void neighboursAndTricksAreNotTheConsole() {
        assertThat(policy.classify("/uix")).isEqualTo(RouteClass.DENY);
        assertThat(policy.classify("/api/client/../../ui/admins")).isNull();
        assertThat(policy.classify("/api/client/%2e%2e/ui")).isNull();
    }
}
