package io.upki.cli.renewal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** Keys of a renewal: whether a private key belongs to a certificate, and a fresh key of the same kind. */
final class KeyMatch {
    private KeyMatch() {
    }

    /** True when {@code privateKey} signs what {@code publicKey} verifies. */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = publicKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] probe = "upki-cli agent key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A new key pair of the old one's type and size: the profile asked for it when the pair was issued. */
    static KeyPair like(PublicKey old, SecureRandom random) throws GeneralSecurityException {
        if (old instanceof RSAPublicKey rsa) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(rsa.getModulus().bitLength(), RSAKeyGenParameterSpec.F4), random);
            return g.generateKeyPair();
        }
        if (old instanceof ECPublicKey ec) {
            String curve = switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> "secp256r1";
                case 384 -> "secp384r1";
                case 521 -> "secp521r1";
                default -> throw new GeneralSecurityException("unsupported EC curve of "
                        + ec.getParams().getCurve().getField().getFieldSize() + " bits");
            };
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve), random);
            return g.generateKeyPair();
        }
        throw new GeneralSecurityException("unsupported key type " + old.getAlgorithm());
    }
}
