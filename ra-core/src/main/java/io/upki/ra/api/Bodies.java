package io.upki.ra.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;

/** Reads JSON request bodies strictly: bounded size, an object, typed fields; anything else is a 400. */
final class Bodies {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final int maxBytes;

    Bodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    ObjectNode object(Context ctx, boolean required) throws ApiException {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > maxBytes) {
            throw new ApiException(413, "request body over " + maxBytes + " bytes");
        }
        if (body.length == 0) {
            if (required) {
                throw new ApiException(400, "a JSON object body is required");
            }
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiException(400, "body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    static String string(ObjectNode body, String field, boolean required, int maxLength) throws ApiException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ApiException(400, "missing field '" + field + "'");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiException(400, "field '" + field + "' must be a string");
        }
        if (v.asText().length() > maxLength) {
            throw new ApiException(400, "field '" + field + "' is longer than " + maxLength + " characters");
        }
        return v.asText();
    }

    static Integer positiveInt(ObjectNode body, String field, int max) throws ApiException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > max) {
            throw new ApiException(400, "field '" + field + "' must be an integer between 1 and " + max);
        }
        return v.asInt();
    }
}
