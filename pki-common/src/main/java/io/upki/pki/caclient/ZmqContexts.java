package io.upki.pki.caclient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * The one way upki makes a ZeroMQ context: one I/O thread, and the notices of that thread reported as
 * one log line instead of JeroMQ's default stack trace on stderr.
 */
public final class ZmqContexts {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqContexts.class);

    private ZmqContexts() {
    }

    /**
     * A context for {@code owner} (named in the log line). JeroMQ hands its I/O thread's notices to a
     * handler that prints the stack trace; the usual one is a {@code ClosedChannelException} when a socket
     * is closed while that thread is still registering or selecting its channel, which happens as a
     * context shuts down and is harmless (the channel was being closed anyway). The handler must be set
     * before the first socket starts the I/O thread, hence here.
     */
    public static ZContext open(String owner) {
        ZContext context = new ZContext(1);
        context.setNotificationExceptionHandler((thread, e) -> LOG.info("{}: ZeroMQ I/O thread {} noted {} (ignored)",
                owner, thread.getName(), e.toString()));
        return context;
    }
}
