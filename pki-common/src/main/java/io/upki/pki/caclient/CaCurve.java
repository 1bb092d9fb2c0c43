package io.upki.pki.caclient;

import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * How a process reaches the CA: over CURVE (RFC 26) when the CA's public key is given, with this
 * process's own key pair (a 0600 file, made on first run), or with uPKI's plain protocol otherwise.
 * Every upki process builds its CA clients here, so they all behave alike.
 */
public final class CaCurve {
    /** uPKI's plain protocol: no CA key given. */
    public static final CaCurve NONE = new CaCurve(null, null, false);

    private final String caPublicKey;
    private final CurveKeys clientKeys;
    private final boolean newKey;

    private CaCurve(String caPublicKey, CurveKeys clientKeys, boolean newKey) {
        this.caPublicKey = caPublicKey;
        this.clientKeys = clientKeys;
        this.newKey = newKey;
    }

    /**
     * @param caPublicKeyOrFile the CA's public key (40 Z85 characters) or a file holding it; null or
     *     blank for the plain protocol
     * @param clientKeyFile this process's key pair file, created (0600) when absent
     * @throws IllegalArgumentException for a malformed CA key or an unusable key file, with the reason
     */
    public static CaCurve open(String caPublicKeyOrFile, Path clientKeyFile) {
        if (caPublicKeyOrFile == null || caPublicKeyOrFile.isBlank()) {
            return NONE;
        }
        String caKey = CurveKeys.serverKey(caPublicKeyOrFile);
        if (clientKeyFile == null) {
            throw new IllegalArgumentException("a CA public key needs a client key file (--client-key)");
        }
        boolean fresh = !Files.exists(clientKeyFile);
        try {
            return new CaCurve(caKey, CurveKeys.loadOrCreate(clientKeyFile), fresh);
        } catch (IOException e) {
            throw new IllegalArgumentException("client key " + clientKeyFile + ": " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return caPublicKey != null;
    }

    /** True when the client key file was made by this run: the CA cannot know the key yet. */
    public boolean newKey() {
        return newKey;
    }

    /** The CA's public key (Z85), or null. */
    public String caPublicKey() {
        return caPublicKey;
    }

    /** This process's key pair, or null without CURVE. */
    public CurveKeys clientKeys() {
        return clientKeys;
    }

    /** A CA client on {@code endpoint}, authenticated with CURVE when enabled. */
    public ZmqCaClient client(String endpoint, Function<CaTask, Duration> timeouts, int retries, WireCodec codec) {
        return new ZmqCaClient(endpoint, timeouts, retries, codec, clientKeys, caPublicKey);
    }

    /** A client with each task's default timeout and two retries for idempotent tasks. */
    public ZmqCaClient client(String endpoint) {
        return client(endpoint, CaTask::defaultTimeout, 2, new WireCodec());
    }

    /** For logs: the mode and this process's public key (never the secret). */
    public String describe() {
        return enabled() ? "CURVE, client key " + clientKeys.publicKey() : "plain (no CA public key given)";
    }
}
