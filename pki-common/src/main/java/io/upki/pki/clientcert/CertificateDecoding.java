package io.upki.pki.clientcert;

import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The decoding rules every source shares: bounded size, strict base64 (RFC 4648 section 4, never MIME
 * or form decoding: '+' is data), strict percent-decoding, one DER certificate with nothing after it.
 */
public final class CertificateDecoding {
    private final int maxHeaderBytes;
    private final int maxCertificates;

    /**
     * @param maxHeaderBytes longest accepted header value; a full chain can exceed 8 KiB
     * @param maxCertificates most certificates accepted in one header
     */
    public CertificateDecoding(int maxHeaderBytes, int maxCertificates) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxCertificates = maxCertificates;
    }

    public static CertificateDecoding defaults() {
        return new CertificateDecoding(32 * 1024, 8);
    }

    /** The single value of {@code header}, or null when absent; several copies are refused. */
    String single(Headers headers, String header) throws RefusedException {
        List<String> values = headers.all(header);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new RefusedException(Refusal.MALFORMED_HEADER, header + " sent " + values.size() + " times");
        }
        String value = values.get(0);
        if (value.length() > maxHeaderBytes) {
            throw new RefusedException(Refusal.HEADER_TOO_LARGE, header + " is " + value.length() + " bytes, limit "
                    + maxHeaderBytes);
        }
        return value.strip();
    }

    void checkCount(int count) throws RefusedException {
        if (count > maxCertificates) {
            throw new RefusedException(Refusal.TOO_MANY_CERTIFICATES, count + " certificates, limit " + maxCertificates);
        }
    }

    static byte[] base64(String text) throws RefusedException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(Refusal.MALFORMED_HEADER, "not base64: " + e.getMessage());
        }
    }

    /** Percent-decoding (RFC 3986 section 2.1) only: '+' stays '+'; a bad escape is refused. */
    static String percentDecode(String text) throws RefusedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new RefusedException(Refusal.MALFORMED_HEADER, "truncated percent escape");
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new RefusedException(Refusal.MALFORMED_HEADER, "bad percent escape");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0x7e || c < 0x20) {
                throw new RefusedException(Refusal.MALFORMED_HEADER, "raw non-ASCII byte in header");
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** Parses exactly one DER certificate. */
    static X509Certificate certificate(byte[] der) throws RefusedException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            X509Certificate cert = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
            if (!Arrays.equals(cert.getEncoded(), der)) {
                throw new RefusedException(Refusal.BAD_CERTIFICATE, "trailing or non-DER data");
            }
            return cert;
        } catch (CertificateException | RuntimeException e) {
            throw new RefusedException(Refusal.BAD_CERTIFICATE, "not a DER certificate");
        }
    }
}
