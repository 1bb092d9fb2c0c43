package io.upki.ca.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.SubjectAltName;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Typed access to a task's {@code params}: missing values give uPKI's {@code [700] Missing x parameter},
 * values of the wrong type a {@code [200]} that names the parameter and the expected type.
 */
public final class Params {
    private static final String SANS_EXPECTED = "a list of names or {\"type\", \"value\"} objects";
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,60}");
    private static final Pattern HEX_PREFIXED = Pattern.compile("0[xX][0-9A-Fa-f]{1,50}");
    private static final Pattern HEX_COLONS = Pattern.compile("[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){1,49}");
    private static final Pattern HEX_WITH_LETTER = Pattern.compile("(?=.*[A-Fa-f])[0-9A-Fa-f]{1,50}");

    private final ObjectNode node;

    public Params(ObjectNode node) {
        this.node = node;
    }

    private JsonNode present(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** A nested object parameter, or null when absent; anything but an object is a {@code [200]}. */
    public Params optionalObject(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw wrongType(name, "an object");
        }
        return new Params((ObjectNode) value);
    }

    /** An ISO 8601 instant with an offset ({@code 2026-01-26T12:00:00+00:00}), null when absent. */
    public java.time.Instant optionalInstant(String name) {
        String value = optionalString(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw wrongType(name, "an ISO 8601 time with an offset");
        }
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
        return optionalIntBetween(name, 1, max);
    }

    /** A non-negative integer (an offset), null when absent. */
    public Integer optionalNonNegativeInt(String name) {
        return optionalIntBetween(name, 0, Integer.MAX_VALUE);
    }

    private Integer optionalIntBetween(String name, int min, int max) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        BigInteger number = integer(name, value);
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, name + " must be between " + min + " and " + max);
        }
        return number.intValueExact();
    }

    /**
     * A certificate serial: a JSON integer as uPKI sends it, or a string in decimal (digits only) or in
     * hexadecimal ({@code 0x1f2e}, {@code 1F:2E} as OpenSSL prints it, or hex digits with at least one
     * letter, as {@code openssl x509 -serial} prints it); null when absent.
     */
    public BigInteger optionalSerial(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        BigInteger serial = value.isTextual() ? serialText(name, value.asText()) : integer(name, value);
        if (serial.signum() <= 0) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, name + " must be a positive integer");
        }
        return serial;
    }

    private static BigInteger serialText(String name, String raw) {
        String text = raw.strip();
        // RFC 5280 section 4.1.2.2 caps serials at 20 octets: 49 decimal or 40 hex digits; allow some slack.
        if (DECIMAL.matcher(text).matches()) {
            return new BigInteger(text);
        }
        if (HEX_PREFIXED.matcher(text).matches()) {
            return new BigInteger(text.substring(2), 16);
        }
        if (HEX_COLONS.matcher(text).matches() || HEX_WITH_LETTER.matcher(text).matches()) {
            return new BigInteger(text.replace(":", ""), 16);
        }
        throw new CaProtocolException(CaErrorCode.VALIDATION, "Parameter " + name + " must be an integer, in decimal"
                + " or hexadecimal (0x1f2e or 1F:2E), not '" + shorten(raw) + "'");
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }

    /**
     * A parameter that is a string or a JSON integer (uPKI sends revocation reasons by name, upki-ra's
     * ACME endpoint by RFC 5280 code), as text; null when absent.
     */
    public String optionalStringOrInteger(String name, String expected) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        throw wrongType(name, expected);
    }

    private static BigInteger integer(String name, JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isTextual() && DECIMAL.matcher(value.asText()).matches()) {
            return new BigInteger(value.asText());
        }
        throw wrongType(name, "an integer");
    }

    /**
     * The SAN list: uPKI's {@code [{"type": "DNS", "value": "..."}]}, or plain names as upki-ra's admin API
     * sends them ({@code ["www.example.com", "10.0.0.1"]}, type inferred by {@link SubjectAltName#inferred});
     * the two forms may be mixed. Absent means none.
     */
    public List<SubjectAltName> sans() {
        JsonNode value = present("sans");
        List<SubjectAltName> sans = new ArrayList<>();
        if (value == null) {
            return sans;
        }
        if (!value.isArray()) {
            throw wrongType("sans", SANS_EXPECTED);
        }
        if (value.size() > 100) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "sans: at most 100 names");
        }
        for (JsonNode item : value) {
            if (item.isTextual()) {
                sans.add(SubjectAltName.inferred(item.asText()));
            } else if (item.isObject() && item.path("type").isTextual() && item.path("value").isTextual()) {
                sans.add(new SubjectAltName(item.get("type").asText(), item.get("value").asText()));
            } else {
                throw wrongType("sans", SANS_EXPECTED);
            }
        }
        return sans;
    }

    private static CaProtocolException wrongType(String name, String expected) {
        return new CaProtocolException(CaErrorCode.VALIDATION, "Parameter " + name + " must be " + expected);
    }
}
