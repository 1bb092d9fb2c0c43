package io.upki.ca.authority;

import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a key rollover in a CA's data directory, and the switch from one generation to the next.
 *
 * <p>The switch is ordered so that a crash at any point leaves a directory {@link #finishSwitch} completes
 * on the next start: (1) the current certificate and key reference are copied to {@code generations/N}
 * ({@code ca.crt} last, marking the copy complete); (2) the new key replaces {@code ca.key} (or its label
 * goes to {@code pkcs11-key}); (3) {@code next/ca.crt} is renamed over {@code ca.crt}, the step that makes
 * the new generation current; (4) {@code next/} is removed. Until (3) the pending certificate sits in
 * {@code next/ca.crt}, which is how an unfinished switch is recognised.
 */
public final class GenerationFiles {
    static final String KEY_LABEL = "pkcs11-key";
    /** In {@code next/}: the token label of the key being replaced, when that key is in a token. */
    public static final String PREVIOUS_KEY_LABEL = "previous-pkcs11-key";
    /** In {@code next/}: the token label of the new key, when it is in a token. */
    public static final String NEXT_KEY_LABEL = KEY_LABEL;

    private GenerationFiles() {
    }

    /** The numbers of the earlier generations kept in {@code generations/}, each with its {@code ca.crt}, ascending. */
    public static List<Integer> archived(CaFiles files) {
        List<Integer> numbers = new ArrayList<>();
        if (!Files.isDirectory(files.generations())) {
            return numbers;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(files.generations())) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (name.matches("[1-9][0-9]{0,5}") && Files.exists(d.resolve("ca.crt"))) {
                    numbers.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + files.generations(), e);
        }
        numbers.sort(Integer::compare);
        return numbers;
    }

    /** The number of the current generation: one above the newest kept, 1 when the CA never rolled over. */
    public static int currentNumber(CaFiles files) {
        List<Integer> kept = archived(files);
        return kept.isEmpty() ? 1 : kept.get(kept.size() - 1) + 1;
    }

    /** The token label of the current key, from {@code pkcs11-key} when a rollover wrote one, else {@code fallback}. */
    public static String currentKeyLabel(CaFiles files, String fallback) {
        return readLabel(files.pkcs11KeyLabel(), fallback);
    }

    static String readLabel(Path file, String fallback) {
        if (!Files.exists(file)) {
            return fallback;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A pending certificate waits in {@code next/ca.crt}: an install was interrupted before it finished. */
    public static boolean switchPending(CaFiles files) {
        return Files.exists(files.next().resolve("ca.crt"));
    }

    /**
     * Makes the certificate in {@code next/ca.crt} current, keeping the present generation in
     * {@code generations/N}; every step is skipped when already done, so it also completes an
     * interrupted switch.
     *
     * @return the number of the new current generation
     */
    public static int finishSwitch(CaFiles files) throws IOException {
        Path next = files.next();
        String currentLabel = readLabel(next.resolve(PREVIOUS_KEY_LABEL), null);
        X509Certificate pending = Pem.parseCertificate(Files.readString(next.resolve("ca.crt"), StandardCharsets.US_ASCII));
        X509Certificate present = Pem.parseCertificate(Files.readString(files.caCertificate(), StandardCharsets.US_ASCII));
        int number = currentNumber(files);
        if (!present.equals(pending)) {
            // (1) keep the present generation, unless a crash left it kept already.
            boolean kept = !archived(files).isEmpty() && present.equals(Pem.parseCertificate(Files.readString(
                    files.generation(number - 1).resolve("ca.crt"), StandardCharsets.US_ASCII)));
            if (!kept) {
                Path dir = files.generation(number);
                Files.createDirectories(dir);
                if (Files.exists(files.caKey())) {
                    AtomicFiles.writeSecret(dir.resolve("ca.key"), Files.readAllBytes(files.caKey()));
                }
                if (currentLabel != null) {
                    AtomicFiles.writePublic(dir.resolve(KEY_LABEL), (currentLabel + "\n").getBytes(StandardCharsets.UTF_8));
                }
                AtomicFiles.writePublic(dir.resolve("ca.crt"), Files.readAllBytes(files.caCertificate()));
                number++;
            }
            // (2) the new key where the current key is looked for.
            if (Files.exists(next.resolve("ca.key"))) {
                Files.deleteIfExists(files.pkcs11KeyLabel());
                Files.move(next.resolve("ca.key"), files.caKey(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.exists(next.resolve(NEXT_KEY_LABEL))) {
                Files.deleteIfExists(files.caKey()); // kept in generations/N: the new key is in the token
                Files.move(next.resolve(NEXT_KEY_LABEL), files.pkcs11KeyLabel(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // (3) the commit: the new certificate is the CA's.
        Files.move(next.resolve("ca.crt"), files.caCertificate(), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        // (4) what is left of the request.
        try (DirectoryStream<Path> left = Files.newDirectoryStream(next)) {
            for (Path f : left) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(next);
        return currentNumber(files);
    }
}
