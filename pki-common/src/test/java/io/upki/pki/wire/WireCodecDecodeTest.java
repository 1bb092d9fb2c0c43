package io.upki.pki.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every malformed frame becomes the exact protocol error uPKI clients expect (CA-PROTOCOL.md section 2). */
class WireCodecDecodeTest {
    private final WireCodec codec = new WireCodec();

    private CaProtocolException requestError(String json) {
        return requestError(json.getBytes(StandardCharsets.UTF_8));
    }

    private CaProtocolException requestError(byte[] frame) {
        CaProtocolException e = catchThrowableOfType(CaProtocolException.class, () -> codec.decodeRequest(frame));
        assertThat(e).as("decoding must fail with CaProtocolException").isNotNull();
        return e;
    }

    private CaRequest request(String json) {
        return codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    /** JSON nested {@code depth} levels deep in total, the innermost level inside params. */
    private static String nested(int depth) {
        // depth 1 is the envelope object, depth 2 the params object, the rest arrays.
        int arrays = depth - 2;
        return "{\"TASK\": \"get_ca\", \"params\": {\"deep\": " + "[".repeat(arrays) + "]".repeat(arrays) + "}}";
    }

    @Test
    void unparsableJsonIsUncodedInvalidJson() {
        CaProtocolException e = requestError("{not json");

        assertThat(e.getMessage()).startsWith("Invalid JSON: ").hasSizeGreaterThan("Invalid JSON: ".length());
        assertThat(e.code()).isNull();
        assertThat(e.wireMessage()).isEqualTo(e.getMessage());
    }

    @Test
    void nonUtf8FrameIsInvalidJson() {
        byte[] frame = {'{', '"', 'T', 'A', 'S', 'K', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        CaProtocolException e = requestError(frame);

        assertThat(e.wireMessage()).isEqualTo("Invalid JSON: request is not valid UTF-8");
        assertThat(e.code()).isNull();
    }

    @Test
    void lone0xffByteIsInvalidUtf8() {
        assertThat(requestError(new byte[] {(byte) 0xFF}).wireMessage())
                .isEqualTo("Invalid JSON: request is not valid UTF-8");
    }

    @Test
    void emptyFrameIsInvalidJson() {
        CaProtocolException e = requestError(new byte[0]);

        assertThat(e.wireMessage()).startsWith("Invalid JSON: ");
        assertThat(e.code()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"TASK\": \"get_ca\"}]", "[]", "\"get_ca\"", "42", "null", "true"})
    void nonObjectRequestIsRefusedWithCode700(String json) {
        CaProtocolException e = requestError(json);

        assertThat(e.wireMessage()).isEqualTo("[700] Request must be a JSON object");
        assertThat(e.code()).isEqualTo(CaErrorCode.COMMUNICATION);
    }

    @Test
    void missingTaskIsUnknownEmptyTask() {
        assertThat(requestError("{\"params\": {}}").wireMessage()).isEqualTo("[700] Unknown task: ");
        assertThat(requestError("{}").wireMessage()).isEqualTo("[700] Unknown task: ");
    }

    @Test
    void nullTaskIsUnknownEmptyTask() {
        assertThat(requestError("{\"TASK\": null}").wireMessage()).isEqualTo("[700] Unknown task: ");
    }

    @Test
    void numericTaskIsUnknownTaskNamedByItsValue() {
        CaProtocolException e = requestError("{\"TASK\": 5, \"params\": {}}");

        assertThat(e.wireMessage()).isEqualTo("[700] Unknown task: 5");
        assertThat(e.code()).isEqualTo(CaErrorCode.COMMUNICATION);
    }

    @Test
    void structuredTaskIsUnknownTask() {
        assertThat(requestError("{\"TASK\": [\"get_ca\"]}").wireMessage()).startsWith("[700] Unknown task: ");
        assertThat(requestError("{\"TASK\": {\"name\": \"get_ca\"}}").wireMessage()).startsWith("[700] Unknown task: ");
    }

    @Test
    void taskNameIsKeptAsSentForTheRouterToJudge() {
        // TASK is case-sensitive: the codec must not normalise it, so "GET_CA" later fails as unknown.
        assertThat(request("{\"TASK\": \"GET_CA\"}").task()).isEqualTo("GET_CA");
        assertThat(request("{\"TASK\": \"frobnicate\"}").task()).isEqualTo("frobnicate");
    }

    @Test
    void nullOrMissingParamsAreEmptyParams() {
        CaRequest withNull = request("{\"TASK\": \"get_ca\", \"params\": null}");
        CaRequest withoutParams = request("{\"TASK\": \"get_ca\"}");

        assertThat(withNull.params()).isNotNull().isEmpty();
        assertThat(withoutParams.params()).isNotNull().isEmpty();
        assertThat(withNull.task()).isEqualTo("get_ca");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"profile\": \"server\"}]", "\"server\"", "7", "false"})
    void nonObjectParamsAreRefused(String params) {
        CaProtocolException e = requestError("{\"TASK\": \"get_profile\", \"params\": " + params + "}");

        assertThat(e.wireMessage()).isEqualTo("[700] params must be a JSON object");
        assertThat(e.code()).isEqualTo(CaErrorCode.COMMUNICATION);
    }

    @Test
    void extraTopLevelKeysAreIgnored() {
        CaRequest r = request("{\"TASK\": \"get_profile\", \"params\": {\"profile\": \"server\"}, \"id\": 7}");

        assertThat(r.task()).isEqualTo("get_profile");
        assertThat(r.params().get("profile").asText()).isEqualTo("server");
        assertThat(r.params().size()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"TASK\": \"get_ca\"} x", "{\"TASK\": \"get_ca\"}{}", "{\"TASK\": \"get_ca\"}]",
        "{\"TASK\": \"get_ca\"} {\"TASK\": \"revoke\"}", "{\"TASK\": \"get_ca\"} 1"})
    void trailingContentAfterTheObjectIsInvalidJson(String json) {
        CaProtocolException e = requestError(json);

        assertThat(e.wireMessage()).startsWith("Invalid JSON: ");
        assertThat(e.code()).isNull();
    }

    @Test
    void trailingWhitespaceIsAccepted() {
        assertThat(request("{\"TASK\": \"get_ca\"}\r\n \t").task()).isEqualTo("get_ca");
    }

    @Test
    void duplicateTopLevelKeyIsInvalidJson() {
        CaProtocolException e = requestError("{\"TASK\": \"get_ca\", \"TASK\": \"revoke\"}");

        assertThat(e.wireMessage()).startsWith("Invalid JSON: ").containsIgnoringCase("duplicate");
        assertThat(e.code()).isNull();
    }

    @Test
    void duplicateParameterIsInvalidJson() {
        CaProtocolException e = requestError(
                "{\"TASK\": \"revoke\", \"params\": {\"dn\": \"a.example.com\", \"dn\": \"b.example.com\"}}");

        assertThat(e.wireMessage()).startsWith("Invalid JSON: ");
        assertThat(e.code()).isNull();
    }

    @Test
    void nestingOf64LevelsIsAccepted() {
        assertThat(request(nested(64)).params().has("deep")).isTrue();
    }

    @Test
    void nestingDeeperThan64IsInvalidJson() {
        assertThat(requestError(nested(65)).wireMessage()).startsWith("Invalid JSON: ");
        assertThat(requestError(nested(5000)).wireMessage()).startsWith("Invalid JSON: ");
    }

    @Test
    void invalidJsonDetailDoesNotEchoTheRequest() {
        String secret = "s3cr3t-seed-value-" + "x".repeat(40);
        CaProtocolException e = requestError("{\"TASK\": \"register\", \"params\": {\"seed\": \"" + secret + "\",}");

        assertThat(e.wireMessage()).startsWith("Invalid JSON: ").doesNotContain(secret);
    }

    @Test
    void bigIntegerParameterKeepsEveryDigit() {
        String serial = "394849924032451189626582680205031369965229007474";

        CaRequest r = request("{\"TASK\": \"revoke\", \"params\": {\"serial\": " + serial + "}}");

        assertThat(r.params().get("serial").isIntegralNumber()).isTrue();
        assertThat(r.params().get("serial").bigIntegerValue()).hasToString(serial);
    }

    @Test
    void malformedRepliesAreProtocolErrors() {
        CaProtocolException notJson = catchThrowableOfType(CaProtocolException.class,
                () -> codec.decodeReply("<html>".getBytes(StandardCharsets.UTF_8)));
        CaProtocolException noEvent = catchThrowableOfType(CaProtocolException.class,
                () -> codec.decodeReply("{\"DATA\": true}".getBytes(StandardCharsets.UTF_8)));
        CaProtocolException unknownEvent = catchThrowableOfType(CaProtocolException.class,
                () -> codec.decodeReply("{\"EVENT\": \"ANSWERED\", \"DATA\": 1}".getBytes(StandardCharsets.UTF_8)));
        CaProtocolException array = catchThrowableOfType(CaProtocolException.class,
                () -> codec.decodeReply("[]".getBytes(StandardCharsets.UTF_8)));

        assertThat(notJson.wireMessage()).startsWith("Invalid JSON: ");
        assertThat(noEvent.wireMessage()).isEqualTo("[700] Malformed reply: no EVENT");
        assertThat(unknownEvent.wireMessage()).isEqualTo("[700] Malformed reply: no EVENT");
        assertThat(array.wireMessage()).isEqualTo("[700] Malformed reply: no EVENT");
    }

    @Test
    void fromTreeOfTheWrongShapeIsACommunicationError() {
        CaProtocolException e = catchThrowableOfType(CaProtocolException.class,
                () -> codec.fromTree(codec.toTree(java.util.List.of(1, 2)), IssuedCertificate.class));

        assertThat(e.code()).isEqualTo(CaErrorCode.COMMUNICATION);
        assertThat(e.getMessage()).startsWith("Unexpected IssuedCertificate in reply: ");
    }
}
