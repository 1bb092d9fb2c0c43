package io.upki.pki.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** A reply envelope: either {@code {"EVENT":"ANSWER","DATA":...}} or {@code {"EVENT":"UPKI ERROR","MSG":...}}. */
public sealed interface CaReply {

    /** A successful answer carrying any JSON value. */
    record Answer(JsonNode data) implements CaReply {
    }

    /** An error with its wire message, {@code [code] text}. */
    record Error(String message) implements CaReply {
        public static Error of(CaProtocolException e) {
            return new Error(e.wireMessage());
        }
    }
}
