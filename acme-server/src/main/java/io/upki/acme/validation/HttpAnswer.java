package io.upki.acme.validation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.x response reader for http-01 (RFC 9112): status line, headers, and a body framed
 * by Content-Length, chunked transfer coding, or the connection's end.
 *
 * @param complete true when the framing says the whole body is there
 */
record HttpAnswer(int status, byte[] body, boolean complete) {

    /** The response in {@code raw}, or null when the status line and headers are not all there or invalid. */
    static HttpAnswer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return null;
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            return null;
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return null;
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if (chunked) {
            return dechunk(status, rest);
        }
        if (length >= 0) {
            boolean whole = rest.length >= length;
            return new HttpAnswer(status, java.util.Arrays.copyOf(rest, (int) Math.min(length, rest.length)), whole);
        }
        return new HttpAnswer(status, rest, false);
    }

    private static HttpAnswer dechunk(int status, byte[] data) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = indexOf(data, pos);
            if (lineEnd < 0) {
                return new HttpAnswer(status, body.toByteArray(), false);
            }
            String sizeText = new String(data, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).split(";")[0].strip();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                return new HttpAnswer(status, body.toByteArray(), true);
            }
            if (size == 0) {
                return new HttpAnswer(status, body.toByteArray(), true);
            }
            int start = lineEnd + 2;
            if (start + size > data.length) {
                return new HttpAnswer(status, body.toByteArray(), false);
            }
            body.write(data, start, size);
            pos = start + size + 2;
        }
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
