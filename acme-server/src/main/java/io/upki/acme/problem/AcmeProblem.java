package io.upki.acme.problem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The one error of the ACME feature: an RFC 7807 problem with an ACME error type, a detail safe to
 * show the client, and the HTTP status (usually the type's, sometimes 404, 405, 409, 413 or 415).
 */
public final class AcmeProblem extends Exception {
    private final AcmeError type;
    private final int status;
    private final String location;
    private final List<String> algorithms;

    public AcmeProblem(AcmeError type, String detail) {
        this(type, type.status(), detail, null, List.of());
    }

    private AcmeProblem(AcmeError type, int status, String detail, String location, List<String> algorithms) {
        super(detail, null, false, false);
        this.type = type;
        this.status = status;
        this.location = location;
        this.algorithms = List.copyOf(algorithms);
    }

    /** A problem answered with another status than the type's (404 unknown resource, 409 key in use, ...). */
    public static AcmeProblem withStatus(AcmeError type, int status, String detail) {
        return new AcmeProblem(type, status, detail, null, List.of());
    }

    /** RFC 8555 section 7.3.5: a key already in use by another account is a 409 naming that account. */
    public static AcmeProblem conflict(String detail, String location) {
        return new AcmeProblem(AcmeError.MALFORMED, 409, detail, location, List.of());
    }

    /** RFC 8555 section 6.2: badSignatureAlgorithm lists the algorithms the server accepts. */
    public static AcmeProblem badAlgorithm(String detail, List<String> accepted) {
        return new AcmeProblem(AcmeError.BAD_SIGNATURE_ALGORITHM, 400, detail, null, accepted);
    }

    public AcmeError type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** The {@code Location} to send with the problem, or null. */
    public String location() {
        return location;
    }

    public List<String> algorithms() {
        return algorithms;
    }

    /** The RFC 7807 problem document (RFC 8555 section 6.7). */
    public ObjectNode document() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("type", type.urn());
        doc.put("detail", getMessage());
        doc.put("status", status);
        if (!algorithms.isEmpty()) {
            ArrayNode list = doc.putArray("algorithms");
            algorithms.forEach(list::add);
        }
        return doc;
    }
}
