package io.upki.publisher.publish;

import io.upki.pki.ops.Readiness;
import java.time.Clock;

/** The publisher is ready while it serves a CRL whose nextUpdate is still ahead (RFC 5280 section 5.1.2.5). */
public final class PublisherReadiness {
    private PublisherReadiness() {
    }

    public static Readiness of(Publication publication, Clock clock) {
        Publication.Current current = publication.current();
        if (current == null) {
            return Readiness.notReady("no CRL published yet");
        }
        if (!clock.instant().isBefore(current.snapshot().nextUpdate())) {
            return Readiness.notReady("CRL " + current.snapshot().number() + " is stale: its nextUpdate "
                    + current.snapshot().nextUpdate() + " has passed");
        }
        return Readiness.OK;
    }
}
