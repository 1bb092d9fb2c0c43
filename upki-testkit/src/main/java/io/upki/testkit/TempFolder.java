package io.upki.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders of fixtures: temporary ones that outlive one JUnit {@code @TempDir} (made, deleted as a whole) and copies. */
public final class TempFolder {
    private TempFolder() {
    }

    /** A fresh, empty folder in the system's temporary directory, its name starting with {@code prefix}. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the tree {@code from} into {@code to}, keeping file attributes (a key file stays 0600). */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /**
     * Deletes {@code root} and all below it, best effort: a left-over file in the temporary directory harms
     * nothing, so a failure is reported on stderr (with {@code who}) rather than failing the test.
     */
    public static void delete(Path root, String who) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println(who + ": cannot delete " + root + ": " + e.getMessage());
        }
    }
}
