package io.upki.ca.wire;

import io.upki.ca.access.Caller;
import io.upki.ca.store.StoreException;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.CaReply;
import io.upki.pki.wire.CaRequest;
import io.upki.pki.wire.WireCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps task names to handlers for one port, and maps every failure to a reply: this is the only place
 * where exceptions become {@code UPKI ERROR} messages, and internal details never reach a client.
 */
public final class TaskRouter {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRouter.class);

    /**
     * Java names that parser and crypto library messages embed: exception class prefixes such as
     * {@code java.io.IOException: } and Jackson's code references such as
     * {@code (bound as `com.fasterxml.jackson.databind.JsonNode`)}. Linear-time patterns (no
     * backtracking across a long client-sent name): they also run over echoed client input.
     */
    private static final List<Pattern> LIBRARY_NAMES = List.of(
            Pattern.compile("(?<![\\w$.])(?:[a-z_$][\\w$]*+\\.)++[A-Z][\\w$]*(?:Exception|Error)(?::\\s*)?"),
            Pattern.compile(" ?\\(bound as `[^`]*+`\\)"),
            Pattern.compile(": not allowed as per `[^`]*+`"),
            Pattern.compile(", from `[^`]*+`"),
            Pattern.compile(": enable `[^`]*+` to allow"),
            Pattern.compile("Source: REDACTED \\(`[^`]*+` disabled\\); "));

    private final WireCodec codec;
    private final Map<String, Route> routes = new HashMap<>();
    private Guard guard = (caller, task) -> { };

    /** A task that needs to know who calls it (to check profiles, or to enrol the caller's key). */
    @FunctionalInterface
    public interface CallerHandler {
        Object handle(Params params, Caller caller);
    }

    /** Decides, before anything runs, whether a caller may run a task on this port. */
    @FunctionalInterface
    public interface Guard {
        /** @throws CaProtocolException to refuse */
        void check(Caller caller, String task);
    }

    /** A handler and the lane it runs on. */
    public record Route(CallerHandler handler, Lane lane) {
    }

    /** A decoded request ready to run, or an immediate reply for a request that cannot run. */
    public sealed interface Decision {
        /** Run {@code route} with {@code params} on its lane, on behalf of {@code caller}. */
        record Run(String task, Route route, Params params, Caller caller) implements Decision {
        }

        /** Answer at once (malformed request, unknown task). */
        record Reply(byte[] frame) implements Decision {
        }
    }

    public TaskRouter(WireCodec codec) {
        this.codec = codec;
    }

    public TaskRouter route(String task, Lane lane, TaskHandler handler) {
        routes.put(task, new Route((params, caller) -> handler.handle(params), lane));
        return this;
    }

    public TaskRouter route(String task, Lane lane, CallerHandler handler) {
        routes.put(task, new Route(handler, lane));
        return this;
    }

    /** Every request on this port passes {@code check} before it is routed. */
    public TaskRouter guardedBy(Guard check) {
        this.guard = check;
        return this;
    }

    /** Decodes a request frame of an unauthenticated ({@code none}) connection; never throws. */
    public Decision decide(byte[] frame) {
        return decide(frame, Caller.PLAIN);
    }

    /** Decodes a request frame and checks that its caller may run it; never throws. */
    public Decision decide(byte[] frame, Caller caller) {
        CaRequest request;
        try {
            request = codec.decodeRequest(frame);
            // Before the route lookup: a caller the CA does not know learns nothing, not even task names.
            guard.check(caller, request.task());
        } catch (CaProtocolException e) {
            return new Decision.Reply(error(e));
        }
        Route route = routes.get(request.task());
        if (route == null) {
            return new Decision.Reply(error(CaProtocolException.unknownTask(request.task())));
        }
        return new Decision.Run(request.task(), route, new Params(request.params()), caller);
    }

    /** Runs a decided request; never throws. */
    public byte[] run(Decision.Run run) {
        try {
            Object result = run.route().handler().handle(run.params(), run.caller());
            return codec.encodeReply(new CaReply.Answer(codec.toTree(result)));
        } catch (CaProtocolException e) {
            return error(e);
        } catch (StoreException e) {
            String ref = reference();
            LOG.error("task {} failed in the store (ref {})", run.task(), ref, e);
            return error(new CaProtocolException(CaErrorCode.STORAGE, "Storage error (ref " + ref + ")"));
        } catch (RuntimeException | StackOverflowError e) {
            String ref = reference();
            LOG.error("task {} failed (ref {})", run.task(), ref, e);
            return error(new CaProtocolException(CaErrorCode.AUTHORITY, "Internal CA error (ref " + ref + ")"));
        }
    }

    /** The reply for a request refused before it ran (busy, too large, malformed frames). */
    public byte[] error(CaProtocolException e) {
        return codec.encodeReply(CaReply.Error.of(e, publicMessage(e.wireMessage())));
    }

    /**
     * The MSG for a client: library details passed through ({@code Invalid JSON: <parser detail>},
     * {@code Failed to load CSR: <detail>}) without the {@link #LIBRARY_NAMES} they carry.
     */
    static String publicMessage(String message) {
        String text = message;
        for (Pattern p : LIBRARY_NAMES) {
            text = p.matcher(text).replaceAll("");
        }
        return text;
    }

    private static String reference() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
