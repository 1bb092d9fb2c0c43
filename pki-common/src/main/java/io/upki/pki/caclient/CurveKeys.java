package io.upki.pki.caclient;

import io.upki.pki.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.zeromq.ZMQ;

/**
 * A CURVE key pair (RFC 26/CURVEZMQ, Curve25519) in Z85 text (ZeroMQ RFC 32), as kept in a 0600 file:
 * the CA's long-term key and every client's key have this form.
 *
 * @param publicKey 40 Z85 characters (32 bytes)
 * @param secretKey 40 Z85 characters (32 bytes); never logged, never sent
 */
public record CurveKeys(String publicKey, String secretKey) {
    private static final String PUBLIC = "public-key=";
    private static final String SECRET = "secret-key=";
    /** The Z85 alphabet (ZeroMQ RFC 32). */
    private static final java.util.regex.Pattern Z85 =
            java.util.regex.Pattern.compile("[0-9a-zA-Z.\\-:+=^!/*?&<>()\\[\\]{}@%$#]+");

    public CurveKeys {
        publicKey = checkKey(publicKey, "public key");
        secretKey = checkKey(secretKey, "secret key");
    }

    @Override
    public String toString() {
        return "CurveKeys[publicKey=" + publicKey + "]";
    }

    /** A fresh key pair from the system's secure random source (jnacl's crypto_box_keypair). */
    public static CurveKeys generate() {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        return new CurveKeys(pair.publicKey, pair.secretKey);
    }

    public byte[] publicBytes() {
        return ZMQ.Curve.z85Decode(publicKey);
    }

    public byte[] secretBytes() {
        return ZMQ.Curve.z85Decode(secretKey);
    }

    /**
     * Reads the key pair in {@code file}, or creates it (0600, never overwriting) when absent.
     *
     * @throws IOException when the file is unreadable, malformed, or readable by group or others
     */
    public static CurveKeys loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            CurveKeys keys = generate();
            try {
                AtomicFiles.createSecret(file, keys.text().getBytes(StandardCharsets.US_ASCII));
                return keys;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another process made it meanwhile: use theirs
            }
        }
        return load(file);
    }

    /** Reads a key pair file written by {@link #loadOrCreate}. */
    public static CurveKeys load(Path file) throws IOException {
        checkPrivate(file);
        String pub = null;
        String sec = null;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String l = line.strip();
            if (l.startsWith(PUBLIC)) {
                pub = l.substring(PUBLIC.length()).strip();
            } else if (l.startsWith(SECRET)) {
                sec = l.substring(SECRET.length()).strip();
            }
        }
        if (pub == null || sec == null) {
            throw new IOException(file + " is not a CURVE key file (needs public-key= and secret-key= lines)");
        }
        try {
            return new CurveKeys(pub, sec);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server's public key given as its 40 Z85 characters or as a file holding them (the CA's
     * {@code curve.pub}, or a key file's {@code public-key=} line).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String serverKey(String z85OrFile) {
        if (z85OrFile == null || z85OrFile.isBlank()) {
            throw new IllegalArgumentException("CA public key: empty");
        }
        String value = z85OrFile.strip();
        if (value.length() == ZMQ.Curve.KEY_SIZE_Z85 && !Files.isRegularFile(Path.of(value))) {
            return checkKey(value, "CA public key");
        }
        Path file = Path.of(value);
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith(SECRET)) {
                    continue;
                }
                return checkKey(l.startsWith(PUBLIC) ? l.substring(PUBLIC.length()).strip() : l, "CA public key in " + file);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("CA public key: '" + value
                    + "' is neither 40 Z85 characters nor a readable file", e);
        }
        throw new IllegalArgumentException("CA public key: " + file + " holds no key");
    }

    /** The text of a key pair file. */
    public String text() {
        return "# upki CURVE key pair (RFC 26): keep this file secret (0600)\n"
                + PUBLIC + publicKey + "\n" + SECRET + secretKey + "\n";
    }

    /** @throws IllegalArgumentException unless {@code key} is 40 Z85 characters encoding 32 bytes */
    public static String checkKey(String key, String what) {
        if (key == null || key.length() != ZMQ.Curve.KEY_SIZE_Z85 || !Z85.matcher(key).matches()) {
            throw new IllegalArgumentException(what + ": must be " + ZMQ.Curve.KEY_SIZE_Z85 + " Z85 characters");
        }
        byte[] bytes;
        try {
            bytes = ZMQ.Curve.z85Decode(key);
        } catch (RuntimeException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length != ZMQ.Curve.KEY_SIZE) {
            throw new IllegalArgumentException(what + ": not a Z85-encoded 32-byte key");
        }
        return key;
    }

    private static void checkPrivate(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: nothing to check
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                throw new IOException(file + " is readable by others (" + java.nio.file.attribute.PosixFilePermissions
                        .toString(perms) + "): chmod 600 it");
            }
        }
    }
}
