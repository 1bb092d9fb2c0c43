package io.upki.sidecar;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The sidecar's own HTTPS certificate and key, read into a {@link SidecarConfig.Tls}, or plain HTTP without them. */
final class TlsOptions {
    @Option(names = "--tls-cert", defaultValue = "${env:UPKI_SIDECAR_TLS_CERT}",
            description = "PEM certificate chain to serve HTTPS with; clients must then present a certificate of "
                    + "upki's proxy profile (without it, anyone reaching this port can act as an administrator).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:UPKI_SIDECAR_TLS_KEY}",
            description = "PEM private key of --tls-cert (a file readable by the sidecar only).")
    Path tlsKey;

    /** HTTPS with both files, null (plain HTTP) with neither. @throws IllegalArgumentException for only one */
    SidecarConfig.Tls tls() {
        return tlsCert == null && tlsKey == null ? null : new SidecarConfig.Tls(tlsCert, tlsKey);
    }
}
