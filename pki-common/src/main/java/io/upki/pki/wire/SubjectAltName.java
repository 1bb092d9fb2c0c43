package io.upki.pki.wire;

/** One subject alternative name as uPKI sends it: {@code {"type": "DNS"|"IP"|"EMAIL"|"URI", "value": ...}}. */
public record SubjectAltName(String type, String value) {
}
