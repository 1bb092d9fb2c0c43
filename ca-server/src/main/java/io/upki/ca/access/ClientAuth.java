package io.upki.ca.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * How the CA authenticates clients: {@code curve} (RFC 26 handshake, known keys only) or {@code none}
 * (uPKI's plain protocol, which authenticates nobody and is therefore only allowed on loopback).
 */
public enum ClientAuth {
    CURVE,
    NONE;

    /**
     * Parses {@code curve|none}; null or blank chooses by address: {@code none} on loopback,
     * {@code curve} anywhere else.
     *
     * @throws IllegalArgumentException for another value
     */
    public static ClientAuth parse(String text, String host) {
        if (text == null || text.isBlank()) {
            return isLoopback(host) ? NONE : CURVE;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "curve" -> CURVE;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("client auth: '" + text + "' is not one of [curve, none]");
        };
    }

    /**
     * Fails closed: {@code none} on an address other hosts can reach lets anyone there sign any
     * certificate, so the CA refuses to start.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public void checkBind(String host) {
        if (this == NONE && !isLoopback(host)) {
            throw new IllegalArgumentException("--client-auth none is only allowed on loopback, but the CA would "
                    + "listen on " + host + ": use --client-auth curve (or bind 127.0.0.1)");
        }
    }

    /** True only for an address literal or name that resolves to loopback addresses only. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("*") || h.equals("0.0.0.0") || h.equals("::")) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(h);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
