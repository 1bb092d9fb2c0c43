package io.upki.pki.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The single JSON codec of the CA protocol, used by the CA and by every client.
 *
 * <p>Decoding is strict (valid UTF-8, one JSON object, no trailing tokens, no duplicate keys) and every
 * failure becomes a {@link CaProtocolException} carrying the message uPKI clients expect, so a caller
 * can always answer.
 */
public final class WireCodec {
    static final String TASK = "TASK";
    static final String PARAMS = "params";
    static final String EVENT = "EVENT";
    static final String DATA = "DATA";
    static final String MSG = "MSG";
    /** upki's finer error code beside uPKI's {@code MSG} (CA-PROTOCOL.md section 2). */
    static final String CODE = "CODE";
    static final String ANSWER = "ANSWER";
    static final String UPKI_ERROR = "UPKI ERROR";

    /** The longest JSON string accepted: a CRL of about 3 million entries. */
    public static final int MAX_STRING_CHARS = 256 * 1024 * 1024;

    private final ObjectMapper mapper;

    public WireCodec() {
        this.mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .build();
        // Bound what one message can make the parser do. Requests are already capped at 1 MiB per frame
        // by the CA; a reply may carry a large CRL (base64 of ~50 bytes per entry: 100,000 revoked
        // certificates make a 6.7 MB string), so strings are bounded well above any real CRL.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(MAX_STRING_CHARS)
                .maxNumberLength(200)
                .build());
    }

    /** The shared mapper, for converting result records to and from JSON trees. */
    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] encodeRequest(CaRequest request) {
        ObjectNode root = mapper.createObjectNode();
        root.put(TASK, request.task());
        root.set(PARAMS, request.params());
        return write(root);
    }

    /** Parses a request frame; every malformed input becomes the protocol error to send back. */
    public CaRequest decodeRequest(byte[] frame) {
        JsonNode root = parse(frame);
        if (!root.isObject()) {
            throw new CaProtocolException(CaErrorCode.COMMUNICATION, "Request must be a JSON object");
        }
        JsonNode task = root.get(TASK);
        String taskName = task == null || task.isNull() ? "" : task.isValueNode() ? task.asText() : task.toString();
        if (task == null || !task.isTextual()) {
            throw CaProtocolException.unknownTask(taskName);
        }
        JsonNode params = root.get(PARAMS);
        if (params == null || params.isNull()) {
            return new CaRequest(taskName, null);
        }
        if (!params.isObject()) {
            throw new CaProtocolException(CaErrorCode.COMMUNICATION, "params must be a JSON object");
        }
        return new CaRequest(taskName, (ObjectNode) params);
    }

    public byte[] encodeReply(CaReply reply) {
        ObjectNode root = mapper.createObjectNode();
        if (reply instanceof CaReply.Answer answer) {
            root.put(EVENT, ANSWER);
            root.set(DATA, answer.data());
        } else if (reply instanceof CaReply.Error error) {
            root.put(EVENT, UPKI_ERROR);
            root.put(MSG, error.message());
            if (error.code() != null) {
                root.put(CODE, error.code());
            }
        }
        return write(root);
    }

    /** Parses a reply frame from the CA; a reply that is not a valid envelope is a communication error. */
    public CaReply decodeReply(byte[] frame) {
        JsonNode root = parse(frame);
        String event = root.path(EVENT).asText("");
        if (ANSWER.equals(event)) {
            return new CaReply.Answer(root.has(DATA) ? root.get(DATA) : mapper.nullNode());
        }
        if (UPKI_ERROR.equals(event)) {
            JsonNode code = root.get(CODE);
            return new CaReply.Error(root.path(MSG).asText(""), code != null && code.canConvertToInt() ? code.asInt() : null);
        }
        throw new CaProtocolException(CaErrorCode.COMMUNICATION, "Malformed reply: no EVENT");
    }

    /** Serialises any record as one JSON frame (events). */
    public byte[] toBytes(Object value) {
        return write(mapper.valueToTree(value));
    }

    /** Reads one JSON frame into a record; a malformed frame is a communication error. */
    public <T> T fromBytes(byte[] frame, Class<T> type) {
        return fromTree(parse(frame), type);
    }

    /** Converts a result record (or any value) to the JSON tree sent as {@code DATA}. */
    public JsonNode toTree(Object value) {
        return mapper.valueToTree(value);
    }

    /** Reads a {@code DATA} tree into a result record. */
    public <T> T fromTree(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new CaProtocolException(CaErrorCode.COMMUNICATION,
                    "Unexpected " + type.getSimpleName() + " in reply: " + e.getOriginalMessage());
        }
    }

    private JsonNode parse(byte[] frame) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(frame))
                    .toString();
        } catch (CharacterCodingException e) {
            throw CaProtocolException.invalidJson("request is not valid UTF-8");
        }
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw CaProtocolException.invalidJson("empty document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw CaProtocolException.invalidJson(e.getOriginalMessage());
        }
    }

    private byte[] write(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // A tree built from records always serialises; reaching here is a programming error.
            throw new IllegalStateException("cannot serialise reply", e);
        }
    }
}
