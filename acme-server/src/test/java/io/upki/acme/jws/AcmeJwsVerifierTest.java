package io.upki.acme.jws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** JWS parsing and verification rules of RFC 8555 section 6.2, without HTTP. */
class AcmeJwsVerifierTest {
    final JwsVerifier verifier = new JwsVerifier(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    static final ObjectMapper JSON = new ObjectMapper();

    static String flattened(ECKey key, JWSAlgorithm alg, String payload) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).jwk(key.toPublicJWK()).customParam("nonce", "n")
                .customParam("url", "https://x/acme/new-account").build(), new Payload(payload));
        jws.sign(new ECDSASigner(key));
        return JSON.createObjectNode().put("protected", jws.getHeader().toBase64URL().toString())
                .put("payload", jws.getPayload().toBase64URL().toString()).put("signature", jws.getSignature().toString()).toString();
    }

    @Test
    void aGoodJwsVerifiesWithItsJwk() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        FlattenedJws jws = verifier.parse(flattened(key, JWSAlgorithm.ES256, "{}").getBytes(StandardCharsets.UTF_8));
        verifier.verify(jws, verifier.publicKey(jws.jwk()));
        assertThat(jws.url()).isEqualTo("https://x/acme/new-account");
        assertThat(JwsVerifier.thumbprint(key)).isEqualTo(key.computeThumbprint().toString());
    }

    @Test
    void structureAlgorithmAndKeyRulesHold() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String good = flattened(key, JWSAlgorithm.ES256, "{}");
        var withHeader = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(good);
        withHeader.putObject("header").put("kid", "x");
        assertThatThrownBy(() -> verifier.parse(withHeader.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AcmeProblem.class).hasMessageContaining("unexpected JWS member");
        assertThatThrownBy(() -> verifier.parse("[]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(AcmeProblem.class);
        assertThatThrownBy(() -> JwsVerifier.checkAlgorithm("none")).isInstanceOfSatisfying(AcmeProblem.class,
                p -> assertThat(p.type()).isEqualTo(AcmeError.BAD_SIGNATURE_ALGORITHM));
        assertThatThrownBy(() -> JwsVerifier.checkAlgorithm("HS256")).isInstanceOf(AcmeProblem.class);
        // a private JWK is refused, and so is an RSA key under 2048 bits
        assertThatThrownBy(() -> verifier.publicKey(JSON.readTree(key.toJSONString()))).isInstanceOfSatisfying(AcmeProblem.class,
                p -> assertThat(p.type()).isEqualTo(AcmeError.BAD_PUBLIC_KEY));
        assertThatThrownBy(() -> verifier.publicKey(JSON.readTree(new RSAKeyGenerator(1024, true).generate().toPublicJWK()
                .toJSONString()))).isInstanceOf(AcmeProblem.class);
        // ES384 claimed with a P-256 key
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
        FlattenedJws mismatch = verifier.parse(flattened(p384, JWSAlgorithm.ES384, "{}").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verifier.verify(mismatch, key.toPublicJWK())).isInstanceOfSatisfying(AcmeProblem.class,
                p -> assertThat(p.type()).isEqualTo(AcmeError.BAD_SIGNATURE_ALGORITHM));
        // a signature by another key
        FlattenedJws other = verifier.parse(flattened(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256, "{}")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verifier.verify(other, key.toPublicJWK())).isInstanceOf(AcmeProblem.class)
                .hasMessageContaining("signature");
    }
}
