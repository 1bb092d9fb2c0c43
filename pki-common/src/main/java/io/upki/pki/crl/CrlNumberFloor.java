package io.upki.pki.crl;

import io.upki.pki.files.AtomicFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest CRL Number accepted from each issuer (with the SHA-256 of that CRL), kept in a small
 * file so that it survives a restart: without it, a process that restarted would accept an older CRL
 * that is still within its validity and so undo every later revocation (RFC 5280 section 5.2.3: CRL
 * numbers only grow). The file is rewritten atomically (temporary file, fsync, rename; 0644), one line
 * per issuer: {@code <SHA-256 of the issuer certificate> <CRL number> <SHA-256 of the CRL>}.
 */
public final class CrlNumberFloor {
    /** The highest number accepted from one issuer and the digest of that very CRL. */
    public record Mark(BigInteger number, String sha256) {
    }

    private final Path file;
    private final Map<String, Mark> marks;

    private CrlNumberFloor(Path file, Map<String, Mark> marks) {
        this.file = file;
        this.marks = marks;
    }

    /** A floor that lives in memory only (processes that keep no state, or that refetch at start). */
    public static CrlNumberFloor inMemory() {
        return new CrlNumberFloor(null, new TreeMap<>());
    }

    /**
     * Reads the floor kept in {@code file} (none yet: an empty floor).
     *
     * @throws IOException when the file exists but cannot be read or is not one this class wrote; the
     *     caller must not start without it, since starting empty would accept older CRLs again
     */
    public static CrlNumberFloor open(Path file) throws IOException {
        Map<String, Mark> marks = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return new CrlNumberFloor(file, marks);
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.strip().split(" ");
            if (f.length != 3 || !f[0].matches("[0-9a-f]{64}") || !f[1].matches("[0-9]{1,60}") || !f[2].matches("[0-9a-f]{64}")) {
                throw new IOException("CRL number state " + file + " is corrupt at '" + line
                        + "'; restore it, or delete it to accept any current CRL again");
            }
            marks.put(f[0], new Mark(new BigInteger(f[1]), f[2]));
        }
        return new CrlNumberFloor(file, marks);
    }

    /** The highest accepted from {@code issuer}, or null. */
    public synchronized Mark of(X509Certificate issuer) {
        return marks.get(fingerprint(issuer));
    }

    /**
     * Raises the floor to the CRLs just accepted and writes the file.
     *
     * @throws IOException when the file cannot be written (the floor in memory is raised anyway)
     */
    public synchronized void raise(List<CrlSnapshot> accepted) throws IOException {
        boolean changed = false;
        for (CrlSnapshot crl : accepted) {
            if (!crl.complete()) {
                continue; // a delta's state is not kept: after a restart the complete CRL is fetched again
            }
            String key = fingerprint(crl.issuer());
            Mark current = marks.get(key);
            if (current == null || crl.number().compareTo(current.number()) > 0) {
                marks.put(key, new Mark(crl.number(), sha256(crl.der())));
                changed = true;
            }
        }
        if (changed && file != null) {
            StringBuilder out = new StringBuilder("# issuer-sha256 crl-number crl-sha256 (highest CRL accepted per issuer)\n");
            marks.forEach((issuer, mark) -> out.append(issuer).append(' ').append(mark.number()).append(' ')
                    .append(mark.sha256()).append('\n'));
            AtomicFiles.writePublic(file, out.toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static String fingerprint(X509Certificate issuer) {
        try {
            return sha256(issuer.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a trusted CA certificate re-encodes", e);
        }
    }
}
