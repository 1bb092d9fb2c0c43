package io.upki.acme.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;

/** How the stores write values into columns: times as epoch milliseconds, lists as JSON text. */
final class Columns {
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    static final TypeReference<List<Identifier>> IDENTIFIERS = new TypeReference<>() { };
    private static final ObjectMapper JSON = new ObjectMapper();

    private Columns() {
    }

    static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    /** A nullable INTEGER column of epoch milliseconds (read after {@code getLong}). */
    static Instant instant(long millis, boolean wasNull) {
        return wasNull ? null : Instant.ofEpochMilli(millis);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ACME store: unreadable column: " + e.getOriginalMessage());
        }
    }
}
