package io.upki.acme.validation;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One time limit for a whole exchange of many reads: a per-read timeout alone would let a peer that sends
 * a byte every few seconds hold a validation thread for as long as it likes.
 */
final class Deadline {
    /** Monotonic nanoseconds; injected so a test can reach a validation's time limit without waiting for it. */
    interface Ticker {
        Ticker SYSTEM = System::nanoTime;

        long nanos();
    }

    private final Ticker ticker;
    private final long end;
    private final Supplier<String> exceeded;

    private Deadline(Ticker ticker, long end, Supplier<String> exceeded) {
        this.ticker = ticker;
        this.end = end;
        this.exceeded = exceeded;
    }

    /** A deadline {@code limit} from now; {@code exceeded} gives the timeout's message once it has passed. */
    static Deadline after(Duration limit, Ticker ticker, Supplier<String> exceeded) {
        return new Deadline(ticker, ticker.nanos() + limit.toNanos(), exceeded);
    }

    /** Milliseconds left (at least 1), for a socket timeout; a {@link SocketTimeoutException} once the deadline has passed. */
    int remainingMillis() throws SocketTimeoutException {
        long left = (end - ticker.nanos()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException(exceeded.get());
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
