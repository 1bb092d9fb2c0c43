package io.upki.pki.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** The native provider installs first on this platform and its signatures verify with the JDK's own code. */
class NativeCryptoTest {
    @Test
    void switchedOffLeavesTheJdkProviders() {
        NativeCrypto.Status s = NativeCrypto.install("off");
        assertThat(s.nativeActive()).isFalse();
        assertThat(s.description()).contains("UPKI_NATIVE_CRYPTO=off");
    }

    @Test
    void installsFirstAndSignsWhatTheJdkVerifies() throws Exception {
        NativeCrypto.Status s = NativeCrypto.install(null);
        // CI and the deployment images are Linux x86_64 with glibc, where ACCP must load.
        assertThat(s.nativeActive()).as(s.description()).isTrue();
        assertThat(NativeCrypto.install("on")).isEqualTo(s); // idempotent

        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        assertThat(signer.getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        signer.initSign(kp.getPrivate());
        signer.update("upki".getBytes());
        byte[] sig = signer.sign();
        Signature jdk = Signature.getInstance("SHA256withECDSA", "SunEC");
        jdk.initVerify(kp.getPublic());
        jdk.update("upki".getBytes());
        assertThat(jdk.verify(sig)).isTrue();
    }
}
