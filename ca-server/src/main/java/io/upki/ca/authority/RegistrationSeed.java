package io.upki.ca.authority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import io.upki.pki.files.AtomicFiles;

/**
 * The registration seed that lets a node bootstrap through the registration port. Only a salted
 * PBKDF2 hash is kept on disk; comparisons are constant-time.
 */
public final class RegistrationSeed {
    private static final int ITERATIONS = 100_000;
    private final byte[] salt;
    private final byte[] hash;

    private RegistrationSeed(byte[] salt, byte[] hash) {
        this.salt = salt;
        this.hash = hash;
    }

    /** A new random seed: 32 bytes, URL-safe base64 without padding. */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static RegistrationSeed of(String seed, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new RegistrationSeed(salt, derive(seed, salt));
    }

    public boolean matches(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(hash, derive(candidate, salt));
    }

    public void save(Path file) throws IOException {
        String line = "pbkdf2-sha256:" + ITERATIONS + ":" + HexFormat.of().formatHex(salt) + ":"
                + HexFormat.of().formatHex(hash) + "\n";
        AtomicFiles.writeSecret(file, line.getBytes(StandardCharsets.US_ASCII));
    }

    public static RegistrationSeed load(Path file) throws IOException {
        String[] parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split(":");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256") || Integer.parseInt(parts[1]) != ITERATIONS) {
            throw new IOException("unrecognised seed hash in " + file);
        }
        return new RegistrationSeed(HexFormat.of().parseHex(parts[2]), HexFormat.of().parseHex(parts[3]));
    }

    private static byte[] derive(String seed, byte[] salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(seed.toCharArray(), salt, ITERATIONS, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is always available", e);
        }
    }
}
