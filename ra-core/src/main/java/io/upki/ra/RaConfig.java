package io.upki.ra;

import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.acme.config.AcmeSettings;
import io.upki.pki.caclient.CaEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validated settings of an ra-core.
 *
 * @param mode {@code direct}: HTTPS with client certificates on {@code port}; {@code edge}: plain HTTP
 *     behind the proxy, trusting only sidecar assertions
 * @param crls CRL locations (the crl-publisher's {@code /crl.der}): client certificates in direct mode,
 *     the sidecars' signer certificates in edge mode
 * @param crlEvents the publishers' push channels, comma-separated, or null
 * @param publisher the publisher's base URL, told to refresh after a CRL regeneration, or null
 * @param acme the ACME settings ({@link AcmeSettings#defaults()} when null)
 * @param edgeTls edge mode only: serve HTTPS with ra.crt and only to a client certificate of upki's
 *     {@code proxy} profile (issue #16 M1); false keeps plain HTTP, for a port no one but the proxy reaches
 * @param crlFallback the CA's event feed and delay for taking CRLs from the CA while no publisher answers, or null
 * @param ca the CA or active/standby CA pair ({@code --ca}); null: the one CA at {@code caHost:caPort}
 */
public record RaConfig(Path dataDir, String caHost, int caPort, String host, int port, Mode mode, List<String> sans,
                       String seed, String cn, List<String> crls, String crlEvents, String publisher,
                       Duration caTimeout, int maxBodyBytes, AcmeSettings acme, boolean edgeTls, CrlFallbackSettings crlFallback,
                       CaEndpoints ca) {

    /** The settings without a CRL fallback. */
    public RaConfig(Path dataDir, String caHost, int caPort, String host, int port, Mode mode, List<String> sans,
                    String seed, String cn, List<String> crls, String crlEvents, String publisher,
                    Duration caTimeout, int maxBodyBytes, AcmeSettings acme, boolean edgeTls) {
        this(dataDir, caHost, caPort, host, port, mode, sans, seed, cn, crls, crlEvents, publisher, caTimeout,
                maxBodyBytes, acme, edgeTls, null, null);
    }

    /** The settings with the one CA at {@code caHost:caPort}. */
    public RaConfig(Path dataDir, String caHost, int caPort, String host, int port, Mode mode, List<String> sans,
                    String seed, String cn, List<String> crls, String crlEvents, String publisher,
                    Duration caTimeout, int maxBodyBytes, AcmeSettings acme, boolean edgeTls, CrlFallbackSettings crlFallback) {
        this(dataDir, caHost, caPort, host, port, mode, sans, seed, cn, crls, crlEvents, publisher, caTimeout,
                maxBodyBytes, acme, edgeTls, crlFallback, null);
    }

    /** How callers are authenticated. */
    public enum Mode { DIRECT, EDGE }

    public RaConfig {
        if (dataDir == null) {
            throw new IllegalArgumentException("data-dir: required (UPKI_DATA_DIR)");
        }
        if (caPort < 1 || caPort > 65534) {
            throw new IllegalArgumentException("ca-port: " + caPort + " is not a TCP port (UPKI_CA_PORT)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a TCP port (UPKI_RA_PORT)");
        }
        if (crls == null || crls.isEmpty()) {
            throw new IllegalArgumentException("crl: " + (mode == Mode.EDGE ? "edge" : "direct") + " mode needs --crl "
                    + "(the crl-publisher's /crl.der): without a CRL every " + (mode == Mode.EDGE
                    ? "sidecar assertion is refused (a revoked sidecar must stop being trusted)" : "client is refused"));
        }
        if (caTimeout.isNegative() || caTimeout.isZero() || caTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("ca-timeout: must be between 1 ms and 30 s");
        }
        ca = ca == null ? CaEndpoints.of(caHost, caPort) : ca;
        sans = sans == null ? List.of() : List.copyOf(sans);
        acme = acme == null ? AcmeSettings.defaults() : acme;
        crls = crls == null ? List.of() : List.copyOf(crls);
        if (edgeTls && mode != Mode.EDGE) {
            throw new IllegalArgumentException("edge-tls: only for --mode edge (direct mode always serves HTTPS)");
        }
    }

    /** The settings with a plain HTTP edge listener. */
    public RaConfig(Path dataDir, String caHost, int caPort, String host, int port, Mode mode, List<String> sans,
                    String seed, String cn, List<String> crls, String crlEvents, String publisher,
                    Duration caTimeout, int maxBodyBytes, AcmeSettings acme) {
        this(dataDir, caHost, caPort, host, port, mode, sans, seed, cn, crls, crlEvents, publisher, caTimeout,
                maxBodyBytes, acme, false);
    }

    /** The settings before ACME, with ACME's defaults. */
    public RaConfig(Path dataDir, String caHost, int caPort, String host, int port, Mode mode, List<String> sans,
                    String seed, String cn, List<String> crls, String crlEvents, String publisher,
                    Duration caTimeout, int maxBodyBytes) {
        this(dataDir, caHost, caPort, host, port, mode, sans, seed, cn, crls, crlEvents, publisher, caTimeout,
                maxBodyBytes, null, false);
    }

    /** The same settings with the edge listener over mutual TLS (see {@code edgeTls}). */
    public RaConfig withEdgeTls() {
        return new RaConfig(dataDir, caHost, caPort, host, port, mode, sans, seed, cn, crls, crlEvents, publisher,
                caTimeout, maxBodyBytes, acme, true, crlFallback, ca);
    }

    /** The same settings taking CRLs from the CA while no publisher answers. */
    public RaConfig withCrlFallback(CrlFallbackSettings fallback) {
        return new RaConfig(dataDir, caHost, caPort, host, port, mode, sans, seed, cn, crls, crlEvents, publisher,
                caTimeout, maxBodyBytes, acme, edgeTls, fallback, ca);
    }

    /** The operations endpoints as the CA client takes them: one, or a comma-separated pair. */
    public String caEndpoint() {
        return ca.operationsList();
    }

    /** The registration endpoints (each port + 1), tried in order like the operations endpoints. */
    public String registrationEndpoint() {
        return ca.registrationList();
    }
}
