package io.upki.pki.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's audit trail: one JSON object per line in an append-only file (who, what, which
 * certificate, result), each also echoed as a {@code key=value} line on the {@code upki.audit} logger.
 *
 * <p>The file is opened with O_APPEND and created 0600. Each event is one {@code write(2)} of a whole
 * line, made before the caller answers its client, so an acknowledged operation's line is in the
 * kernel's hands even if the process is killed with SIGKILL right after (no buffer to flush). It is not
 * fsynced: surviving a power loss is the filesystem's business, as for the logs.
 */
public final class AuditTrail implements AutoCloseable {
    /** Fields every line has, in this order; an event's own fields never replace them. */
    private static final int MAX_VALUE = 1024;
    private static final Set<String> CORE = Set.of("time", "source", "who", "action", "result");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Logger LOG = LoggerFactory.getLogger("upki.audit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Clock clock;
    private final Path path;
    private final FileChannel file;

    private AuditTrail(String source, Clock clock, Path path, FileChannel file) {
        this.source = source;
        this.clock = clock;
        this.path = path;
        this.file = file;
    }

    /** A trail on the log only (no {@code --audit-log}): the events still appear on {@code upki.audit}. */
    public static AuditTrail logOnly(String source, Clock clock) {
        return new AuditTrail(source, clock, null, null);
    }

    /**
     * Opens (or creates, 0600, with its folder) {@code path} for appending.
     *
     * @param source the process name written in every line ({@code ca-server}, {@code ra-core}), so that
     *     several processes may share one file
     */
    public static AuditTrail open(Path path, String source, Clock clock) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                StandardOpenOption.CREATE);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            channel = FileChannel.open(path, options); // not a POSIX filesystem
        }
        return new AuditTrail(source, clock, path, channel);
    }

    /** The file written, or null for a log-only trail. */
    public Path path() {
        return path;
    }

    /**
     * Records one event. Field values are written as JSON numbers, booleans or strings; a null value is
     * left out. Pass a certificate serial as a hexadecimal string ({@link #serial}), as
     * {@code openssl x509 -serial} shows it. Never pass a key, a seed, a CSR or a whole certificate.
     *
     * @param fields alternating name, value
     */
    public void record(String who, String action, String result, Object... fields) {
        Map<String, Object> extra = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            extra.put(String.valueOf(fields[i]), fields[i + 1]);
        }
        record(who, action, result, extra);
    }

    /** Records one event with its fields in a map (iteration order kept). */
    public void record(String who, String action, String result, Map<String, ?> fields) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("source", source);
        line.put("who", who);
        line.put("action", action);
        line.put("result", result);
        StringBuilder text = new StringBuilder("audit action=").append(quote(action)).append(" result=")
                .append(quote(result)).append(" who=").append(quote(who));
        fields.forEach((name, value) -> {
            if (value == null || CORE.contains(name)) {
                return;
            }
            if (value instanceof BigInteger number) {
                line.put(name, number);
            } else if (value instanceof Integer || value instanceof Long) {
                line.put(name, ((Number) value).longValue());
            } else if (value instanceof Boolean b) {
                line.put(name, b);
            } else {
                String string = String.valueOf(value);
                // A guard, not a format: no field of an event is this long, so a longer one is cut.
                line.put(name, string.length() <= MAX_VALUE ? string : string.substring(0, MAX_VALUE) + "...");
            }
            text.append(' ').append(name).append('=').append(quote(line.get(name).asText()));
        });
        write(line);
        LOG.info(text.toString());
    }

    private void write(ObjectNode line) {
        if (file == null) {
            return;
        }
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("audit event cannot be encoded", e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        synchronized (this) {
            try {
                // One write(2) for the whole line on a regular file; the loop only guards a short write.
                while (buffer.hasRemaining()) {
                    file.write(buffer);
                }
            } catch (IOException e) {
                // The operation already happened: it cannot be undone, so the event goes to the log instead.
                LOG.error("audit log {} could not be written ({}); event: {}", path, e.getMessage(), line);
            }
        }
    }

    /** A serial as audit lines write it: lower-case hexadecimal, or null for none. */
    public static String serial(BigInteger serial) {
        return serial == null ? null : serial.toString(16);
    }

    /** Quotes a value for the {@code key=value} log line when it holds spaces, quotes, '=' or controls. */
    static String quote(String s) {
        if (s == null) {
            return "\"\"";
        }
        if (s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", "?") + '"';
        }
        return s;
    }

    @Override
    public void close() {
        if (file != null) {
            synchronized (this) {
                try {
                    file.close();
                } catch (IOException e) {
                    LOG.warn("audit log {} did not close cleanly: {}", path, e.getMessage());
                }
            }
        }
    }
}
