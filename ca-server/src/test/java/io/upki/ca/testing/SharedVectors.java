package io.upki.ca.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the read-only reference material in {@code ../shared} from a module's working directory. */
public final class SharedVectors {
    private SharedVectors() {
    }

    /** The forward-auth vectors folder; fails loudly when the shared folder is missing. */
    public static String dir() {
        for (String candidate : new String[] {"../shared/vectors/forward-auth", "../../shared/vectors/forward-auth"}) {
            if (Files.isDirectory(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/vectors/forward-auth not found next to the repository");
    }
}
