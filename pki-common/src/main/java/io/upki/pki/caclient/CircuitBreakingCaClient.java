package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.process.DaemonThreads;
import io.upki.pki.wire.CaTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CaClient} that answers {@link CaClientException.Kind#UNAVAILABLE} at once while the CA is known
 * to be down, instead of letting every caller wait out the full timeout.
 *
 * <p>The first call that finds the CA silent opens the circuit; from then on calls fail without touching
 * the wire, and a background probe ({@code get_ca}, harmless and allowed to every role) asks the CA every
 * {@code probeInterval}. Any answer, even a refusal, proves the CA is back and closes the circuit. Calls
 * that reach the CA and are refused never open it: only silence does.
 */
public final class CircuitBreakingCaClient implements CaClient {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakingCaClient.class);
    /** How often a down CA is asked whether it is back (the issue asks for recovery within seconds). */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

    private final CaClient delegate;
    private final Clock clock;
    private final Duration probeInterval;
    private final ScheduledExecutorService probe;
    private final Object lock = new Object();
    /** When the circuit opened, or null while it is closed. Guarded by {@link #lock}. */
    private Instant openSince;
    private String lastFailure;
    private boolean closed;

    public CircuitBreakingCaClient(CaClient delegate, Clock clock, Duration probeInterval) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("probeInterval must be positive");
        }
        this.probeInterval = probeInterval;
        this.probe = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ca-circuit-probe"));
    }

    /** The composition roots' one line: the system clock, a probe every second. */
    public static CaClient wrap(CaClient delegate) {
        return new CircuitBreakingCaClient(delegate, Clock.systemUTC(), DEFAULT_PROBE_INTERVAL);
    }

    @Override
    public JsonNode call(CaTask task, ObjectNode params) {
        Instant since = openSince();
        if (since != null) {
            throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null,
                    "the CA is down (no answer since " + since + "; " + lastFailure() + "); checking every "
                            + probeInterval.toMillis() + " ms");
        }
        try {
            return delegate.call(task, params);
        } catch (CaClientException e) {
            if (e.kind() == CaClientException.Kind.UNAVAILABLE) {
                open(e.getMessage());
            }
            throw e;
        }
    }

    /** True while calls fail at once because the CA did not answer. */
    public boolean isOpen() {
        return openSince() != null;
    }

    private Instant openSince() {
        synchronized (lock) {
            return openSince;
        }
    }

    private String lastFailure() {
        synchronized (lock) {
            return lastFailure;
        }
    }

    private void open(String reason) {
        synchronized (lock) {
            if (openSince != null || closed) {
                return;
            }
            openSince = clock.instant();
            lastFailure = reason;
            LOG.warn("CA unavailable, answering at once until it is back (probing every {} ms): {}",
                    probeInterval.toMillis(), reason);
            probe.schedule(this::probeOnce, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One probe; schedules the next while the CA stays silent. */
    void probeOnce() {
        boolean answered;
        try {
            delegate.call(CaTask.GET_CA, CaClient.params());
            answered = true;
        } catch (CaClientException e) {
            answered = e.kind() != CaClientException.Kind.UNAVAILABLE;
        } catch (RuntimeException e) {
            answered = false;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (answered) {
                LOG.info("CA answers again after {} ms: circuit closed",
                        Duration.between(openSince, clock.instant()).toMillis());
                openSince = null;
                lastFailure = null;
                return;
            }
            probe.schedule(this::probeOnce, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        probe.shutdownNow();
        delegate.close();
    }
}
