package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.CaReply;
import io.upki.pki.wire.CaRequest;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.util.Objects;

/** Encodes a task for the wire and turns a CA's reply into the caller's answer or a {@link CaClientException}. */
final class CaCallCodec {
    private final WireCodec codec;

    CaCallCodec(WireCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    byte[] encode(CaTask task, ObjectNode params) {
        return codec.encodeRequest(CaRequest.of(task, params));
    }

    /** The reply as sent by the CA at {@code target}; an unreadable one is a PROTOCOL failure. */
    CaReply decode(CaTask task, String target, byte[] reply) {
        try {
            return codec.decodeReply(reply);
        } catch (CaProtocolException e) {
            throw new CaClientException(CaClientException.Kind.PROTOCOL, null,
                    "CA at " + target + " sent an invalid reply to " + task.wireName() + ": " + e.getMessage());
        }
    }

    /** Whether the CA refused as the standby of a pair, so it certainly ran nothing. */
    static boolean standby(CaReply decoded) {
        return decoded instanceof CaReply.Error error
                && CaProtocolException.fromWireMessage(error.message()).code() == CaErrorCode.STANDBY;
    }

    /** The answer's data, or the CA's refusal as a REJECTED failure. */
    static JsonNode result(CaReply decoded) {
        if (decoded instanceof CaReply.Answer answer) {
            return answer.data();
        }
        CaProtocolException error = CaProtocolException.fromReply((CaReply.Error) decoded);
        throw new CaClientException(CaClientException.Kind.REJECTED, error.code(), error.wireMessage());
    }
}
