package io.upki.pki.crl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Splits CRL input, DER or PEM (one or several {@code X509 CRL} blocks), into DER encodings. */
public final class CrlParser {
    private static final String BEGIN = "-----BEGIN X509 CRL-----";
    private static final String END = "-----END X509 CRL-----";

    private CrlParser() {
    }

    public static List<byte[]> split(byte[] input) throws CrlRejectedException {
        int start = 0;
        while (start < input.length && Character.isWhitespace(input[start])) {
            start++;
        }
        if (start < input.length && input[start] == 0x30) {
            return List.of(input); // DER: a SEQUENCE
        }
        String text = new String(input, StandardCharsets.US_ASCII);
        List<byte[]> ders = new ArrayList<>();
        int from = 0;
        while (true) {
            int b = text.indexOf(BEGIN, from);
            if (b < 0) {
                break;
            }
            int e = text.indexOf(END, b);
            if (e < 0) {
                throw new CrlRejectedException(CrlRejectedException.Reason.UNPARSABLE, "unterminated PEM CRL");
            }
            String body = text.substring(b + BEGIN.length(), e).replaceAll("\\s", "");
            try {
                ders.add(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException ex) {
                throw new CrlRejectedException(CrlRejectedException.Reason.UNPARSABLE, "bad base64 in PEM CRL");
            }
            from = e + END.length();
        }
        if (ders.isEmpty()) {
            throw new CrlRejectedException(CrlRejectedException.Reason.UNPARSABLE, "neither DER nor PEM CRL");
        }
        return ders;
    }
}
