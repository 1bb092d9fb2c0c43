package io.upki.ca.store;

/** A serial number that is already stored: serials never repeat, so the issuer draws a new one. */
public final class DuplicateSerialException extends RuntimeException {
    public DuplicateSerialException(String message) {
        super(message);
    }
}
