package io.upki.pki.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wire form {@code [code] message} of CA errors, both ways. */
class CaProtocolExceptionTest {

    @Test
    void codedMessageRoundTrips() {
        CaProtocolException e = CaProtocolException.fromWireMessage("[300] Certificate not found: x");

        assertThat(e.code()).isEqualTo(CaErrorCode.CERTIFICATE);
        assertThat(e.getMessage()).isEqualTo("Certificate not found: x");
        assertThat(e.wireMessage()).isEqualTo("[300] Certificate not found: x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[100] a", "[200] Invalid revocation reason: x", "[400] b", "[500] Profile not found: p",
        "[600] c", "[700] Unknown task: ", "[800] d", "[900] e"})
    void everyUpkiFamilyRoundTrips(String msg) {
        CaProtocolException e = CaProtocolException.fromWireMessage(msg);

        assertThat(e.code()).isNotNull();
        assertThat(e.code().code()).isEqualTo(Integer.parseInt(msg.substring(1, 4)));
        assertThat(e.wireMessage()).isEqualTo(msg);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Invalid JSON: Unexpected end-of-input", "[999] not a uPKI family", "[abc] text",
        "[] empty", "[300 unterminated", "plain [300] later", ""})
    void uncodedMessagesAreKeptWhole(String msg) {
        CaProtocolException e = CaProtocolException.fromWireMessage(msg);

        assertThat(e.code()).isNull();
        assertThat(e.getMessage()).isEqualTo(msg);
        assertThat(e.wireMessage()).isEqualTo(msg);
    }

    @Test
    void nullMessageBecomesEmpty() {
        CaProtocolException e = CaProtocolException.fromWireMessage(null);

        assertThat(e.code()).isNull();
        assertThat(e.wireMessage()).isEmpty();
    }

    @Test
    void factoriesProduceTheMessagesClientsMatchOn() {
        assertThat(CaProtocolException.missingParameter("dn").wireMessage()).isEqualTo("[700] Missing dn parameter");
        assertThat(CaProtocolException.unknownTask("").wireMessage()).isEqualTo("[700] Unknown task: ");
        assertThat(CaProtocolException.invalidJson("x").wireMessage()).isEqualTo("Invalid JSON: x");
        assertThat(CaProtocolException.invalidJson("x").code()).isNull();
    }

    @Test
    void errorCodesAreUpkisFamilies() {
        assertThat(CaErrorCode.values()).extracting(CaErrorCode::code)
                .containsExactly(100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200);
        assertThat(CaErrorCode.fromCode(700)).isEqualTo(CaErrorCode.COMMUNICATION);
        assertThat(CaErrorCode.fromCode(750)).isNull();
        // upki's finer code keeps uPKI's family in the MSG prefix.
        assertThat(CaErrorCode.NOT_FOUND.family()).isEqualTo(300);
        assertThat(CaErrorCode.fromCode(300)).isEqualTo(CaErrorCode.CERTIFICATE);
        // The standby's refusal is a family of its own, read back from its MSG prefix.
        assertThat(CaErrorCode.fromCode(1200)).isEqualTo(CaErrorCode.STANDBY);
        assertThat(CaErrorCode.STANDBY.family()).isEqualTo(1200);
    }

    @Test
    void notFoundKeepsUpkisMessageAndTravelsAsCode() {
        CaProtocolException e = CaProtocolException.certificateNotFound("serial 5");

        assertThat(e.wireMessage()).isEqualTo("[300] Certificate not found: serial 5");
        assertThat(CaReply.Error.of(e)).isEqualTo(new CaReply.Error("[300] Certificate not found: serial 5", 1100));
        assertThat(CaProtocolException.fromReply(CaReply.Error.of(e)).code()).isEqualTo(CaErrorCode.NOT_FOUND);
    }

    @Test
    void aCodeIsReadOnlyWhenItRefinesTheMessagesFamily() {
        // uPKI's CA sends no CODE: the family alone.
        assertThat(CaProtocolException.fromReply(new CaReply.Error("[300] Certificate not found: x")).code())
                .isEqualTo(CaErrorCode.CERTIFICATE);
        // A CODE that is not a finer code of the prefix's family is ignored, never trusted over the MSG.
        assertThat(CaProtocolException.fromReply(new CaReply.Error("[500] Profile not found: p", 1100)).code())
                .isEqualTo(CaErrorCode.PROFILE);
        assertThat(CaProtocolException.fromReply(new CaReply.Error("[300] x", 700)).code())
                .isEqualTo(CaErrorCode.CERTIFICATE);
        assertThat(CaProtocolException.fromReply(new CaReply.Error("Invalid JSON: x", 1100)).code()).isNull();
    }
}
