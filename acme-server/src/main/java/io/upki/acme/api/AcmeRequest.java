package io.upki.acme.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.jws.FlattenedJws;
import io.upki.acme.store.Account;
import java.io.IOException;

/**
 * An authenticated ACME request: the verified JWS, the key that signed it, and the account when it was
 * signed with a {@code kid} (null for {@code jwk} requests).
 */
record AcmeRequest(FlattenedJws jws, JWK key, Account account) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    boolean postAsGet() {
        return jws.postAsGet();
    }

    /** The payload as a JSON object (RFC 8555 section 7); POST-as-GET where an object is required is malformed. */
    ObjectNode payload() throws AcmeProblem {
        if (jws.postAsGet()) {
            throw new AcmeProblem(AcmeError.MALFORMED, "this request needs a JSON object payload, not POST-as-GET");
        }
        try {
            JsonNode node = JSON.readTree(jws.payload());
            if (node == null || !node.isObject()) {
                throw new AcmeProblem(AcmeError.MALFORMED, "the payload must be a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new AcmeProblem(AcmeError.MALFORMED, "the payload is not valid JSON");
        }
    }

    /** For resources read with POST-as-GET only (RFC 8555 section 6.3): an empty payload, or an empty object where allowed. */
    void requirePostAsGet() throws AcmeProblem {
        if (!jws.postAsGet()) {
            throw new AcmeProblem(AcmeError.MALFORMED, "this resource is read with POST-as-GET (an empty payload)");
        }
    }

    static String text(ObjectNode payload, String field, int max) throws AcmeProblem {
        JsonNode v = payload.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().length() > max) {
            throw new AcmeProblem(AcmeError.MALFORMED, "'" + field + "' must be a string of at most " + max + " characters");
        }
        return v.asText();
    }
}
