package io.upki.ca.issue;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** Key pairs for CA-side key generation ({@code generate}, {@code register}, {@code init}). */
public final class KeyPairs {
    private final SecureRandom random;

    public KeyPairs(SecureRandom random) {
        this.random = random;
    }

    /**
     * @param keyType rsa or ec
     * @param keyLen RSA modulus bits, or 256/384/521 for the NIST P curves
     */
    public KeyPair generate(String keyType, int keyLen) {
        try {
            if ("ec".equals(keyType)) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp" + keyLen + "r1"), random);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(keyLen, RSAKeyGenParameterSpec.F4), random);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalArgumentException("cannot generate a " + keyType + " " + keyLen + " key: " + e.getMessage(), e);
        }
    }
}
