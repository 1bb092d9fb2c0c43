package io.upki.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.CaFixture;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A CSR's self-signature over SHA-1 or MD5 proves possession only weakly: refused with [300], through a real CA. */
class CsrSignatureTest {
    @RegisterExtension
    static final CaFixture ca = CaFixture.ec();

    static String refusal(KeyPair keys, String algorithm) {
        try {
            ca.call(CaTask.SIGN, CaClient.params().put("csr",
                    TestKeys.csr(keys, "CN=sig.example.internal", List.of(), algorithm)));
        } catch (CaClientException e) {
            assertThat(e.code()).isEqualTo(CaErrorCode.CERTIFICATE);
            return e.getMessage();
        }
        throw new AssertionError("the CA signed a " + algorithm + " CSR");
    }

    @Test
    void sha1AndMd5SignedCsrsAreRefused() {
        assertThat(refusal(TestKeys.ec256(), "SHA1withECDSA"))
                .isEqualTo("[300] CSR signature algorithm ECDSAWITHSHA1 (1.2.840.10045.4.1) uses SHA-1, which is not accepted");
        KeyPair rsa = TestKeys.rsa(2048);
        assertThat(refusal(rsa, "SHA1withRSA"))
                .isEqualTo("[300] CSR signature algorithm SHA1WITHRSA (1.2.840.113549.1.1.5) uses SHA-1, which is not accepted");
        assertThat(refusal(rsa, "MD5withRSA")).startsWith("[300] CSR signature algorithm MD5WITHRSA").endsWith("uses MD5 or older, which is not accepted");
        assertThat(refusal(rsa, "SHA1withRSAandMGF1")).startsWith("[300] CSR RSASSA-PSS with hash 1.3.14.3.2.26 is not accepted");
    }

    @Test
    void sha2SignedCsrsAreSigned() {
        KeyPair rsa = TestKeys.rsa(2048);
        for (String algorithm : List.of("SHA256withRSA", "SHA384withRSA", "SHA512withRSA")) {
            assertThat(ca.call(CaTask.SIGN, CaClient.params().put("csr",
                    TestKeys.csr(rsa, "CN=sig.example.internal", List.of(), algorithm))).has("serial")).as(algorithm).isTrue();
        }
        assertThat(ca.call(CaTask.SIGN, CaClient.params().put("csr",
                TestKeys.csr(TestKeys.ec("secp384r1"), "CN=sig.example.internal", List.of(), "SHA384withECDSA"))).has("serial")).isTrue();
    }
}
