package io.upki.pki.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret given either as a value (an environment variable) or as a file, such as a systemd credential
 * ({@code LoadCredential=}, read from {@code $CREDENTIALS_DIRECTORY}); never both, so that an operator who
 * moves a secret to a file cannot keep running on a forgotten copy in the environment.
 */
public final class SecretOption {
    private SecretOption() {
    }

    /**
     * @param value the value option's content, or null
     * @param file the file option's path, or null
     * @return the secret (the file's content without surrounding whitespace), or null when neither is given
     * @throws IllegalArgumentException both given, or the file unreadable or empty, with the reason
     */
    public static String resolve(String value, Path file, String valueName, String fileOption) {
        boolean hasValue = value != null && !value.isEmpty();
        if (file == null) {
            return hasValue ? value : null;
        }
        if (hasValue) {
            throw new IllegalArgumentException("give " + valueName + " or " + fileOption + ", not both");
        }
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(fileOption + " " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (content.isEmpty()) {
            throw new IllegalArgumentException(fileOption + " " + file + " is empty");
        }
        return content;
    }
}
