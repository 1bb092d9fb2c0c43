package io.upki.e2e.edge;

import static io.upki.sidecar.testing.SidecarConfigParts.ANY_PORT;
import static io.upki.sidecar.testing.SidecarConfigParts.decisions;
import static io.upki.sidecar.testing.SidecarConfigParts.limits;
import static io.upki.sidecar.testing.SidecarConfigParts.trust;

import io.upki.ca.testing.TestCa;
import io.upki.pki.options.CrlFeedSettings;
import io.upki.ra.RaStack;
import io.upki.sidecar.Sidecar;
import io.upki.sidecar.SidecarConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Real auth-sidecars in front of an edge-mode {@link RaStack}: registered with its CA, fed by its publisher. */
final class EdgeSidecars {
    private EdgeSidecars() {
    }

    /** A sidecar registered with {@code stack}'s CA as {@code name} (its assertion-signer certificate). */
    static Sidecar register(RaStack stack, String name, Clock clock) throws Exception {
        String pub = stack.publisherBase();
        var signing = new SidecarConfig.Signing(null, null, stack.ca.registrationEndpoint(), TestCa.SEED, name,
                stack.dir.resolve(name));
        var crls = new CrlFeedSettings(List.of(pub + "/crl.der"), pub + "/events");
        return Sidecar.start(new SidecarConfig(ANY_PORT, trust(stack.caCrt, null, crls),
                new SidecarConfig.Admins(null, stack.ca.opsEndpoint(), Duration.ofSeconds(1)), signing, limits(100),
                decisions("traefik", false), null), clock);
    }
}
