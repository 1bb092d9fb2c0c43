package io.upki.ca.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per security-relevant event, {@code key=value} pairs on the {@code upki.audit} logger.
 * Values are quoted when they contain spaces; keys, CSRs and seeds are never passed here.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger("upki.audit");

    /** Records one event; {@code fields} alternate key, value. */
    public void record(String action, String result, Object... fields) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("action", action);
        map.put("result", result);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            map.put(String.valueOf(fields[i]), fields[i + 1]);
        }
        StringBuilder sb = new StringBuilder("audit");
        map.forEach((k, v) -> sb.append(' ').append(k).append('=').append(quote(v)));
        LOG.info(sb.toString());
    }

    private static String quote(Object value) {
        String s = String.valueOf(value);
        if (s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", "?") + '"';
        }
        return s;
    }
}
