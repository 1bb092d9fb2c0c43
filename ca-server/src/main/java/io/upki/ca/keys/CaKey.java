package io.upki.ca.keys;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.util.Objects;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA signing key and the provider that signs with it: the default providers for a key read from a
 * file, the token's SunPKCS11 provider for a key that never leaves its token.
 *
 * @param privateKey the key (for a token key, a handle: {@code getEncoded()} is null)
 * @param provider the provider to sign with, or null for the JCA's default choice
 * @param where a short description for logs and errors ({@code file ca.key}, {@code PKCS#11 token 'upki'})
 */
public record CaKey(PrivateKey privateKey, Provider provider, String where) {
    public CaKey {
        Objects.requireNonNull(privateKey);
        Objects.requireNonNull(where);
    }

    /** A key held in a file, signing with the default providers. */
    public static CaKey inFile(PrivateKey key, String where) {
        return new CaKey(key, null, where);
    }

    /** RSA or EC. */
    public String algorithm() {
        return privateKey.getAlgorithm();
    }

    /** True when the key lives in a PKCS#11 token. */
    public boolean inToken() {
        return provider != null;
    }

    /** A BouncyCastle signer for one certificate, CSR or CRL, e.g. {@code SHA256withRSA}. */
    public ContentSigner contentSigner(String algorithm) {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(algorithm);
        if (provider != null) {
            builder.setProvider(provider);
        }
        try {
            return builder.build(privateKey);
        } catch (OperatorCreationException | RuntimeException e) {
            throw new IllegalStateException("cannot sign with " + algorithm + " (" + where + "): " + e.getMessage(), e);
        }
    }

    /** A JCA signature initialised for signing, e.g. for the key/certificate pairing check. */
    public Signature signature(String algorithm) throws GeneralSecurityException {
        Signature s = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
        s.initSign(privateKey);
        return s;
    }
}
