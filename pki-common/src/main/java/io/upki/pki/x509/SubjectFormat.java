package io.upki.pki.x509;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Formats a subject as an RFC 4514 string (most specific RDN first, RFC 4514 short names, other types as
 * dotted OIDs) and makes it safe for an HTTP header by percent-encoding non-ASCII, control characters
 * and '%'.
 */
public final class SubjectFormat {
    private static final Map<String, String> NAMES = Map.of(
            "2.5.4.3", "CN", "2.5.4.7", "L", "2.5.4.8", "ST", "2.5.4.10", "O", "2.5.4.11", "OU",
            "2.5.4.6", "C", "2.5.4.9", "STREET", "0.9.2342.19200300.100.1.25", "DC", "0.9.2342.19200300.100.1.1", "UID");

    private SubjectFormat() {
    }

    public static String rfc4514(X500Principal principal) {
        X500Name name = X500Name.getInstance(principal.getEncoded());
        RDN[] rdns = name.getRDNs();
        StringBuilder sb = new StringBuilder();
        for (int i = rdns.length - 1; i >= 0; i--) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            boolean first = true;
            for (AttributeTypeAndValue atv : rdns[i].getTypesAndValues()) {
                if (!first) {
                    sb.append('+');
                }
                first = false;
                String oid = atv.getType().getId();
                sb.append(NAMES.getOrDefault(oid, oid)).append('=').append(escape(value(atv.getValue())));
            }
        }
        return sb.toString();
    }

    private static String value(ASN1Encodable v) {
        return v instanceof ASN1String s ? s.getString() : IETFUtils.valueToString(v);
    }

    /** RFC 4514 section 2.4 escaping. */
    public static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edge = (i == 0 && (c == ' ' || c == '#')) || (i == value.length() - 1 && c == ' ');
            if (edge || c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == 0) {
                sb.append("\\00");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Percent-encodes UTF-8 bytes outside printable ASCII, and '%' itself, so the header is reversible. */
    public static String headerSafe(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            if (u < 0x20 || u > 0x7e || u == '%') {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
            } else {
                sb.append((char) u);
            }
        }
        return sb.toString();
    }
}
