package io.upki.pki.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A reply carrying a large CRL (100,000+ entries) must decode: replies are bounded far above request frames. */
class WireCodecLimitsTest {
    @Test
    void aTenMegabyteCrlReplyDecodes() {
        String crl = "A".repeat(10 * 1024 * 1024);
        byte[] frame = ("{\"EVENT\":\"ANSWER\",\"DATA\":\"" + crl + "\"}").getBytes(StandardCharsets.US_ASCII);
        CaReply reply = new WireCodec().decodeReply(frame);
        assertThat(reply).isInstanceOf(CaReply.Answer.class);
        assertThat(((CaReply.Answer) reply).data().asText()).hasSize(crl.length());
    }
}
