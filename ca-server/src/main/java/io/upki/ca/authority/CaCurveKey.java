package io.upki.ca.authority;

import io.upki.pki.caclient.CurveKeys;
import io.upki.pki.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The CA's long-term CURVE key pair (RFC 26 section 2.2: the server's permanent key), kept in the data
 * directory: {@code curve.key} (0600) and its public half in {@code curve.pub} for clients. A data
 * directory made before CURVE existed gets its pair on the next start.
 */
public final class CaCurveKey {
    private CaCurveKey() {
    }

    /** Reads the pair, creating it (and {@code curve.pub}) when absent. */
    public static CurveKeys loadOrCreate(CaFiles files) throws IOException {
        CurveKeys keys = CurveKeys.loadOrCreate(files.curveKey());
        String published = keys.publicKey() + "\n";
        if (!Files.exists(files.curvePublicKey())
                || !Files.readString(files.curvePublicKey(), StandardCharsets.US_ASCII).equals(published)) {
            AtomicFiles.writePublic(files.curvePublicKey(), published.getBytes(StandardCharsets.US_ASCII));
        }
        return keys;
    }
}
