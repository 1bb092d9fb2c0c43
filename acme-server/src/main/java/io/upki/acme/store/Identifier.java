package io.upki.acme.store;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** An ACME identifier (RFC 8555 section 7.1.4): type {@code dns} or {@code ip} (RFC 8738), normalised value. */
public record Identifier(String type, String value) {
    public static final String DNS = "dns";
    public static final String IP = "ip";

    @JsonIgnore
    public boolean isIp() {
        return IP.equals(type);
    }
}
