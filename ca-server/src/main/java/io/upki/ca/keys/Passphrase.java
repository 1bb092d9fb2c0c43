package io.upki.ca.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A key passphrase from a {@code --passphrase-file}, else from an environment variable, else none. */
public final class Passphrase {
    private Passphrase() {
    }

    /** The file's content without surrounding whitespace, else {@code variable}'s value, else null. */
    public static char[] read(Path file, String variable) throws IOException {
        if (file != null) {
            return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
        }
        String env = System.getenv(variable);
        return env == null || env.isEmpty() ? null : env.toCharArray();
    }
}
