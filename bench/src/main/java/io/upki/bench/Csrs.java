package io.upki.bench;

import io.upki.pki.x509.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Certificate requests made before the measurement, so client-side key generation is not timed: EC P-256
 * by default, RSA-2048 for a CA that cannot read EC requests.
 */
final class Csrs {
    private Csrs() {
    }

    /**
     * {@code n} PEM CSRs with common names {@code sign-<k>.bench.example}, each for its own key.
     *
     * @param keyType {@code ec-p256} or {@code rsa-2048}
     */
    static List<String> make(int n, String keyType) {
        List<String> out = new ArrayList<>(n);
        try {
            KeyPairGenerator generator;
            String algorithm;
            switch (keyType) {
                case "ec-p256" -> {
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                    algorithm = "SHA256withECDSA";
                }
                case "rsa-2048" -> {
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    algorithm = "SHA256withRSA";
                }
                default -> throw new IllegalArgumentException("--csr-key: use ec-p256 or rsa-2048, not " + keyType);
            }
            for (int k = 0; k < n; k++) {
                KeyPair pair = generator.generateKeyPair();
                var subject = new X500NameBuilder(BCStyle.INSTANCE)
                        .addRDN(BCStyle.CN, "sign-" + k + ".bench.example").build();
                var csr = new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic())
                        .build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate()));
                out.add(Pem.encode(csr));
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make " + keyType + " CSRs: " + e.getMessage(), e);
        }
        return out;
    }
}
