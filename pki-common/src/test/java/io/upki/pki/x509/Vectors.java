package io.upki.pki.x509;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared forward-auth test PKI ({@code shared/vectors/forward-auth/}), read from the repository's
 * sibling {@code shared/} folder whether tests run from the module directory or the repository root.
 */
final class Vectors {
    private static final List<String> CANDIDATES =
            List.of("../../shared/vectors/forward-auth", "../shared/vectors/forward-auth");

    private Vectors() {
    }

    static Path dir() {
        for (String candidate : CANDIDATES) {
            Path path = Path.of(candidate);
            if (Files.isDirectory(path)) {
                return path;
            }
        }
        return fail("shared test vectors not found: looked for " + CANDIDATES + " from "
                + Path.of("").toAbsolutePath());
    }

    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
