package io.upki.ca.keys;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;

/**
 * A logged-in PKCS#11 token reached through Java 17's SunPKCS11 provider, configured at run time.
 *
 * <p>SunPKCS11 selects a token by slot, not by label, and SoftHSM2 gives each new token a random slot
 * id, so the slot is found by reading the token labels (PKCS#11 v2.40 section 5.5, C_GetTokenInfo)
 * through the JDK's own PKCS#11 wrapper; the launcher exports that package
 * ({@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}, also in the jar's
 * manifest). Keys are generated inside the token as sensitive and unextractable objects and stored as
 * token objects under their label, so no key material ever exists outside it.
 */
public final class Pkcs11Token {
    private static final String WRAPPER = "sun.security.pkcs11.wrapper.";
    private final Pkcs11Settings settings;
    private final Provider provider;
    private final KeyStore keyStore;

    private Pkcs11Token(Pkcs11Settings settings, Provider provider, KeyStore keyStore) {
        this.settings = settings;
        this.provider = provider;
        this.keyStore = keyStore;
    }

    /**
     * Finds the token, configures a provider on its slot and logs in with the PIN.
     *
     * @throws IllegalStateException with a one-line reason: no module, no such token, wrong PIN, locked PIN
     */
    public static Pkcs11Token open(Pkcs11Settings settings) {
        if (!Files.isReadable(settings.module())) {
            throw new IllegalStateException("PKCS#11: module " + settings.module() + " does not exist or is not readable");
        }
        char[] pin;
        try {
            pin = Files.readString(settings.pinFile(), StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new IllegalStateException("PKCS#11: cannot read the PIN file " + settings.pinFile() + ": " + e.getMessage(), e);
        }
        long slot = slotOf(settings);
        Provider provider;
        try {
            provider = Security.getProvider("SunPKCS11").configure(config(settings, slot));
        } catch (RuntimeException e) {
            throw new IllegalStateException("PKCS#11: token '" + settings.token() + "' cannot be used: " + reason(e), e);
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            return new Pkcs11Token(settings, provider, ks);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("PKCS#11: cannot log in to token '" + settings.token() + "': " + reason(e), e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /**
     * SunPKCS11's configuration (the JDK PKCS#11 Reference Guide): private keys generated here are
     * sensitive and unextractable (PKCS#11 v2.40 section 4.9), whatever the token's defaults.
     */
    static String config(Pkcs11Settings settings, long slot) {
        return "--name=upki-" + settings.token().replaceAll("[^A-Za-z0-9_-]", "_") + "\n"
                + "library=" + settings.module().toAbsolutePath() + "\n"
                + "slot=" + slot + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
    }

    private static long slotOf(Pkcs11Settings settings) {
        try {
            Class<?> pkcs11 = Class.forName(WRAPPER + "PKCS11");
            Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class,
                    Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS"), boolean.class);
            Object p11 = getInstance.invoke(null, settings.module().toAbsolutePath().toString(), "C_GetFunctionList", null, false);
            long[] slots = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(p11, true);
            Method tokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class);
            StringBuilder seen = new StringBuilder();
            for (long slot : slots) {
                Object info = tokenInfo.invoke(p11, slot);
                // CK_TOKEN_INFO.label: 32 characters padded with blanks (PKCS#11 v2.40 section 3.2).
                String label = new String((char[]) info.getClass().getField("label").get(info)).strip();
                if (label.equals(settings.token())) {
                    return slot;
                }
                if (!label.isEmpty()) {
                    seen.append(seen.length() == 0 ? "" : ", ").append('\'').append(label).append('\'');
                }
            }
            throw new IllegalStateException("PKCS#11: no token labelled '" + settings.token() + "' in " + settings.module()
                    + (seen.length() == 0 ? " (no initialised token)" : " (tokens: " + seen + ")"));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("PKCS#11: the JVM must run with --add-exports "
                    + "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED (bin/upki and the jar manifest set it)", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("PKCS#11: cannot list the tokens of " + settings.module() + ": "
                    + reason(e.getCause()), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("PKCS#11: this JDK has no SunPKCS11 wrapper: " + e, e);
        }
    }

    /** The PKCS#11 return value (CKR_PIN_INCORRECT, CKR_PIN_LOCKED, ...) when there is one, else the deepest message. */
    static String reason(Throwable e) {
        String last = String.valueOf(e);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("CKR_")) {
                String code = m.substring(m.indexOf("CKR_")).split("[^A-Z0-9_]")[0];
                return switch (code) {
                    case "CKR_PIN_INCORRECT" -> "wrong PIN (CKR_PIN_INCORRECT)";
                    case "CKR_PIN_LOCKED" -> "the PIN is locked (CKR_PIN_LOCKED); unlock it with the SO PIN";
                    default -> code;
                };
            }
            if (m != null) {
                last = m;
            }
        }
        return last;
    }

    public Provider provider() {
        return provider;
    }

    /** True when the token already holds a key under the configured label. */
    public boolean hasKey() {
        try {
            return keyStore.isKeyEntry(settings.key());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKCS#11: cannot read token '" + settings.token() + "': " + reason(e), e);
        }
    }

    /** A new key pair inside the token (session objects until {@link #store}); rsa is 4096 bits, ec P-384. */
    public KeyPair generate(String keyType) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("ec".equals(keyType) ? "EC" : "RSA", provider);
            g.initialize("ec".equals(keyType) ? new ECGenParameterSpec("secp384r1")
                    : new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4));
            return g.generateKeyPair();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("PKCS#11: token '" + settings.token() + "' cannot generate a " + keyType
                    + " key: " + reason(e), e);
        }
    }

    /**
     * Makes a generated key a token object under the key label, with a certificate naming its public key
     * (SunPKCS11 finds a key by the label of its certificate); refuses to replace an existing key.
     */
    public void store(PrivateKey key, Certificate certificate) {
        if (hasKey()) {
            throw new IllegalStateException("PKCS#11: token '" + settings.token() + "' already holds a key labelled '"
                    + settings.key() + "'; refusing to overwrite it");
        }
        try {
            keyStore.setKeyEntry(settings.key(), key, null, new Certificate[] {certificate});
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("PKCS#11: cannot store the key in token '" + settings.token() + "': "
                    + reason(e), e);
        }
    }

    /** The stored key, as a CA key signing through the token. */
    public CaKey key() {
        try {
            Key key = keyStore.getKey(settings.key(), null);
            if (!(key instanceof PrivateKey pk)) {
                throw new IllegalStateException("PKCS#11: token '" + settings.token() + "' holds no private key labelled '"
                        + settings.key() + "'");
            }
            return new CaKey(pk, provider, describe());
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("PKCS#11: cannot read key '" + settings.key() + "' from token '"
                    + settings.token() + "': " + reason(e), e);
        }
    }

    /** The certificate stored with the key (root: the root certificate; intermediate: a placeholder). */
    public Certificate certificate() {
        try {
            return keyStore.getCertificate(settings.key());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKCS#11: " + reason(e), e);
        }
    }

    public String describe() {
        return "PKCS#11 token '" + settings.token() + "' key '" + settings.key() + "'";
    }
}
