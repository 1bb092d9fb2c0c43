package io.upki.pki.x509;

import io.upki.testkit.ForwardAuthVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** The forward-auth reference test PKI, from the upki-testkit module (io/upki/testkit/forward-auth). */
final class Vectors {
    private Vectors() {
    }

    static String read(String name) {
        try {
            return Files.readString(ForwardAuthVectors.dir().resolve(name), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
