package io.upki.ca.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.SubjectAltName;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a task's {@code params}: missing values give uPKI's {@code [700] Missing x parameter},
 * values of the wrong type a {@code [200]} that names the parameter and the expected type.
 */
public final class Params {
    private final ObjectNode node;

    public Params(ObjectNode node) {
        this.node = node;
    }

    private JsonNode present(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    public String requireString(String name) {
        String value = optionalString(name);
        if (value == null || value.isEmpty()) {
            throw CaProtocolException.missingParameter(name);
        }
        return value;
    }

    public String optionalString(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(name, "a string");
        }
        return value.asText();
    }

    public String string(String name, String defaultValue) {
        String value = optionalString(name);
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    /** A positive integer given as a JSON integer (or a string of digits); null when absent. */
    public Integer optionalPositiveInt(String name, int max) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        BigInteger number = integer(name, value);
        if (number.signum() <= 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, name + " must be between 1 and " + max);
        }
        return number.intValueExact();
    }

    /** A non-negative integer (an offset), null when absent. */
    public Integer optionalNonNegativeInt(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        BigInteger number = integer(name, value);
        if (number.signum() < 0 || number.bitLength() > 31) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, name + " must be between 0 and " + Integer.MAX_VALUE);
        }
        return number.intValueExact();
    }

    /** A certificate serial: a JSON integer as uPKI sends it, or a decimal string; null when absent. */
    public BigInteger optionalSerial(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        BigInteger serial = integer(name, value);
        if (serial.signum() <= 0) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, name + " must be a positive integer");
        }
        return serial;
    }

    private static BigInteger integer(String name, JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isTextual() && value.asText().matches("[0-9]{1,60}")) {
            return new BigInteger(value.asText());
        }
        throw wrongType(name, "an integer");
    }

    /** uPKI's SAN list: {@code [{"type": "DNS", "value": "..."}]}; absent means none. */
    public List<SubjectAltName> sans() {
        JsonNode value = present("sans");
        List<SubjectAltName> sans = new ArrayList<>();
        if (value == null) {
            return sans;
        }
        if (!value.isArray()) {
            throw wrongType("sans", "a list of {\"type\", \"value\"} objects");
        }
        if (value.size() > 100) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "sans: at most 100 names");
        }
        for (JsonNode item : value) {
            if (!item.isObject() || !item.path("type").isTextual() || !item.path("value").isTextual()) {
                throw wrongType("sans", "a list of {\"type\", \"value\"} objects");
            }
            sans.add(new SubjectAltName(item.get("type").asText(), item.get("value").asText()));
        }
        return sans;
    }

    private static CaProtocolException wrongType(String name, String expected) {
        return new CaProtocolException(CaErrorCode.VALIDATION, "Parameter " + name + " must be " + expected);
    }
}
