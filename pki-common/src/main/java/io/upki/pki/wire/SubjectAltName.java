package io.upki.pki.wire;

import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/** One subject alternative name as uPKI sends it: {@code {"type": "DNS"|"IP"|"EMAIL"|"URI", "value": ...}}. */
public record SubjectAltName(String type, String value) {
    /** An OpenSSL-style explicit type ({@code DNS:x}, {@code IP:x}, {@code email:x}, {@code URI:x}). */
    private static final Pattern TYPED = Pattern.compile("(?i)(DNS|IP|EMAIL|URI):(.*)", Pattern.DOTALL);
    /** A URI scheme (RFC 3986 section 3.1) without dots, so that {@code host.example:443} is not read as one. */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+-]*:.*", Pattern.DOTALL);

    /**
     * A SAN given as a plain string, as upki-ra's admin API sends them ({@code ["www.example.com"]}): an
     * IP literal is IP, a string with a URI scheme ({@code https://x}, {@code urn:x}) is URI, one with an
     * {@code @} is EMAIL, anything else DNS. An explicit {@code DNS:}/{@code IP:}/{@code email:}/{@code URI:}
     * prefix (OpenSSL's subjectAltName syntax) chooses the type instead. Values are validated later, by type.
     */
    public static SubjectAltName inferred(String name) {
        String text = name.strip();
        var typed = TYPED.matcher(text);
        if (typed.matches()) {
            return new SubjectAltName(typed.group(1).toUpperCase(Locale.ROOT), typed.group(2).strip());
        }
        if (IPAddress.isValid(text)) {
            return new SubjectAltName("IP", text);
        }
        if (SCHEME.matcher(text).matches()) {
            return new SubjectAltName("URI", text);
        }
        if (text.indexOf('@') >= 0) {
            return new SubjectAltName("EMAIL", text);
        }
        return new SubjectAltName("DNS", text);
    }
}
