package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.pki.wire.CaReply;
import io.upki.pki.wire.CaTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a task to the CA of an active/standby pair that answered last, and moves on to the other only
 * when the task certainly did not run where it went (or may safely run twice).
 *
 * <p>A task certainly did not run when the CA answered {@code STANDBY}, or no TCP connection to it came
 * up, so the request was never handed to the socket (a socket's monitor reports its connections). A task
 * that went out and met silence is retried on the next CA only when it is idempotent; a {@code sign} or
 * {@code revoke} may have run, so the caller is told the outcome is unknown rather than risk doing it
 * twice. Rounds repeat (100 ms apart) until the task's timeout while every CA is standby, which is the
 * moment of a takeover.
 */
final class CaPairFailover {
    private final String endpoint;
    private final List<String> endpoints;
    private final int retries;
    private final ReqSocketPool sockets;
    private final CaCallCodec codec;
    private final CaSocketSecurity security;
    /** The endpoint that answered last, tried first. */
    private volatile int preferred;

    CaPairFailover(String endpoint, List<String> endpoints, int retries, ReqSocketPool sockets, CaCallCodec codec,
                   CaSocketSecurity security) {
        this.endpoint = endpoint;
        this.endpoints = endpoints;
        this.retries = retries;
        this.sockets = sockets;
        this.codec = codec;
        this.security = security;
    }

    JsonNode call(CaTask task, byte[] request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos() * (task.idempotent() ? retries + 1 : 1);
        int connectWait = security.handshakeIvl(timeout);
        List<String> tried = new ArrayList<>();
        while (true) {
            int first = preferred;
            for (int i = 0; i < endpoints.size(); i++) {
                int index = (first + i) % endpoints.size();
                String target = endpoints.get(index);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Duration wait = Duration.ofNanos(Math.min(timeout.toNanos(), left));
                byte[] reply = sockets.exchange(target, request, wait, connectWait);
                if (reply == ReqSocketPool.NOT_SENT) {
                    tried.add(target + " not connected");
                    continue; // certainly not executed
                }
                if (reply == null) {
                    tried.add(target + " silent");
                    preferred = (index + 1) % endpoints.size();
                    if (!task.idempotent()) {
                        throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "CA at " + target
                                + " did not answer " + task.wireName() + " within " + wait.toMillis()
                                + " ms; the task may or may not have been applied (not retried on another CA)");
                    }
                    continue;
                }
                CaReply decoded = codec.decode(task, target, reply);
                if (CaCallCodec.standby(decoded)) {
                    tried.add(target + " standby");
                    continue; // certainly not executed: the standby runs nothing
                }
                preferred = index;
                return CaCallCodec.result(decoded);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "no CA of " + endpoint
                        + " ran " + task.wireName() + " within " + timeout.toMillis() + " ms (last tries: "
                        + String.join(", ", tried.subList(Math.max(0, tried.size() - endpoints.size()), tried.size()))
                        + ")" + (task.idempotent() ? "" : "; the task was not applied"));
            }
            try {
                Thread.sleep(100); // every CA standby or unreachable: a takeover is under way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CaClientException(CaClientException.Kind.UNAVAILABLE, null, "interrupted");
            }
        }
    }
}
