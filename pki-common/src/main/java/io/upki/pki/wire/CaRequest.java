package io.upki.pki.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** One request envelope: {@code {"TASK": name, "params": {...}}}; params is never null here. */
public record CaRequest(String task, ObjectNode params) {
    public CaRequest {
        Objects.requireNonNull(task, "task");
        params = params == null ? JsonNodeFactory.instance.objectNode() : params;
    }

    public static CaRequest of(CaTask task, ObjectNode params) {
        return new CaRequest(task.wireName(), params);
    }
}
