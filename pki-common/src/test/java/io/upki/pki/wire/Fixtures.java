package io.upki.pki.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the golden JSON fixtures under {@code src/test/resources/wire/}. */
final class Fixtures {
    /** A plain mapper, independent of {@link WireCodec}'s settings, used to compare JSON as trees. */
    static final ObjectMapper PLAIN = new ObjectMapper();

    private Fixtures() {
    }

    static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/wire/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture wire/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture as a JSON tree read by the plain mapper. */
    static JsonNode tree(String path) {
        return plainTree(bytes(path));
    }

    static JsonNode plainTree(byte[] json) {
        try {
            return PLAIN.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
