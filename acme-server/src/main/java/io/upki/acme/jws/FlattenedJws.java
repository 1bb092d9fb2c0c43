package io.upki.acme.jws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A JWS in flattened JSON serialization (RFC 7515 section 7.2.2) as ACME requires it (RFC 8555
 * section 6.2): the encoded parts as sent, the decoded protected header, and the payload bytes.
 */
public record FlattenedJws(String protectedB64, String payloadB64, String signatureB64, ObjectNode header,
                           byte[] payload) {
    public String alg() {
        return text("alg");
    }

    public String nonce() {
        return text("nonce");
    }

    public String url() {
        return text("url");
    }

    public String kid() {
        return text("kid");
    }

    public JsonNode jwk() {
        return header.get("jwk");
    }

    /** The JWS Signing Input (RFC 7515 section 5.1 step 8): ASCII(protected '.' payload). */
    public byte[] signingInput() {
        return (protectedB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII);
    }

    /** POST-as-GET (RFC 8555 section 6.3): the payload is the empty string. */
    public boolean postAsGet() {
        return payload.length == 0;
    }

    private String text(String name) {
        JsonNode v = header.get(name);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
