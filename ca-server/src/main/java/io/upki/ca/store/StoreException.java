package io.upki.ca.store;

/** The store could not read or write durably; nothing was acknowledged. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
