package io.upki.pki.options;

import io.upki.pki.caclient.CaCurve;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a process talks to the CA: over CURVE with {@code --ca-public-key} and its own key pair
 * {@code --client-key} (whose variable is the process's own, from its {@link EnvDefaults}), or uPKI's
 * plain protocol without them.
 */
public final class CaCurveOptions {
    @Option(names = "--ca-public-key", defaultValue = "${env:UPKI_CA_PUBLIC_KEY}", paramLabel = "KEY|FILE",
            description = "The CA's CURVE public key (Z85) or its curve.pub file: talk to the CA over CURVE "
                    + "(env UPKI_CA_PUBLIC_KEY; default: uPKI's plain protocol).")
    String caPublicKey;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "This process's CURVE key pair file, made (0600) on first run; an operator makes its public "
                    + "key known to the CA with the process's role (without a value: ca-client.key in the state or "
                    + "data directory).")
    Path clientKey;

    /**
     * The CA transport: CURVE with {@code --client-key}, else {@code defaultKeyFile}, when the CA's key is
     * given; else the plain protocol.
     *
     * @throws IllegalArgumentException for an unusable key or key file, with the reason
     */
    public CaCurve open(Path defaultKeyFile) {
        return CaCurve.open(caPublicKey, clientKey != null ? clientKey : defaultKeyFile);
    }
}
