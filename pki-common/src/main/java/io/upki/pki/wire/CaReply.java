package io.upki.pki.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** A reply envelope: either {@code {"EVENT":"ANSWER","DATA":...}} or {@code {"EVENT":"UPKI ERROR","MSG":...}}. */
public sealed interface CaReply {

    /** A successful answer carrying any JSON value. */
    record Answer(JsonNode data) implements CaReply {
    }

    /**
     * An error with its wire message, {@code [code] text}, and upki's finer code ({@code CODE}, null
     * when the prefix says all: see {@link CaErrorCode#refinesFamily()}).
     */
    record Error(String message, Integer code) implements CaReply {
        /** An error whose prefix is its only code (as every uPKI error). */
        public Error(String message) {
            this(message, null);
        }

        public static Error of(CaProtocolException e) {
            return of(e, e.wireMessage());
        }

        /** The error for {@code e} with {@code message} as its {@code MSG} (a message cleaned for clients). */
        public static Error of(CaProtocolException e, String message) {
            return new Error(message, e.code() != null && e.code().refinesFamily() ? e.code().code() : null);
        }
    }
}
