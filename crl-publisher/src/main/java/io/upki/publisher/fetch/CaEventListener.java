package io.upki.publisher.fetch;

import io.upki.pki.caclient.CaCurve;
import io.upki.pki.caclient.CaEventSubscriber;
import io.upki.pki.wire.CaEvent;
import io.upki.pki.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the CA's event feed ({@link CaEventSubscriber}) and hands each event to the
 * {@link CrlRefresher}. Events missed while the subscription was down (a CA restart) are covered by the
 * CA's heartbeat ({@code state}, once a second when idle): it says whether a revocation is not in the
 * current CRL yet, and which CRL is current.
 */
public final class CaEventListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaEventListener.class);

    private final CaEventSubscriber subscriber;

    public CaEventListener(String endpoint, CrlRefresher refresher, WireCodec codec) {
        this(endpoint, refresher, codec, CaCurve.NONE);
    }

    /** @param curve CURVE settings: a CURVE CA's feed admits only the roles it lists */
    public CaEventListener(String endpoint, CrlRefresher refresher, WireCodec codec, CaCurve curve) {
        this.subscriber = new CaEventSubscriber(endpoint, curve, codec, event -> handle(event, refresher));
    }

    private static void handle(CaEvent event, CrlRefresher refresher) {
        switch (event.event()) {
            case CaEvent.REVOKED, CaEvent.UNREVOKED -> refresher.revocationAnnounced();
            case CaEvent.CRL -> refresher.crlAnnounced(event.number());
            case CaEvent.DELTA -> refresher.deltaAnnounced(event.base(), event.delta());
            case CaEvent.STATE -> {
                // The heartbeat: catch up with whatever this subscription missed.
                if (Boolean.TRUE.equals(event.stale())) {
                    refresher.revocationAnnounced();
                } else if (event.number() != null) {
                    refresher.crlAnnounced(event.number());
                }
            }
            default -> LOG.debug("ignoring CA event {}", event.event());
        }
    }

    public void start() {
        subscriber.start("ca-event-listener");
    }

    @Override
    public void close() {
        subscriber.close();
    }
}
