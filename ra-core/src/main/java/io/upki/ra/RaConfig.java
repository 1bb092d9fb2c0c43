package io.upki.ra;

import io.upki.acme.config.AcmeSettings;
import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.options.CrlFeedSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validated settings of an ra-core, composed of small records that each check their own fields; the
 * rule that needs two of them (a CRL source for the mode) is checked here.
 *
 * @param listen where and how callers reach it
 * @param ca the CA or active/standby CA pair and how long a task may take
 * @param identity what the RA registers with the CA for its own TLS certificate
 * @param crls the CRL feed: client certificates in direct mode, the sidecars' signer certificates in edge
 *     mode (the crl-publisher's {@code /crl.der}, its push channels, the CA fallback, poll and grace)
 * @param adminRefresh direct mode: how often the admin list is read again from the CA
 * @param publisher the publisher's base URL, told to refresh after a CRL regeneration, or null
 * @param maxBodyBytes the largest request body accepted
 * @param acme the ACME settings ({@link AcmeSettings#defaults()} when null)
 */
public record RaConfig(Path dataDir, Listener listen, CaLink ca, Identity identity, CrlFeedSettings crls,
                       Duration adminRefresh, String publisher, int maxBodyBytes, AcmeSettings acme) {

    /** How callers are authenticated. */
    public enum Mode { DIRECT, EDGE }

    /**
     * The listener.
     *
     * @param mode {@code direct}: HTTPS with client certificates on {@code port}; {@code edge}: behind the
     *     proxy, trusting only sidecar assertions
     * @param edgeTls edge mode only: serve HTTPS with ra.crt and only to a client certificate of upki's
     *     {@code proxy} profile (issue #16 M1); false keeps plain HTTP, for a port no one but the proxy reaches
     */
    public record Listener(String host, int port, Mode mode, boolean edgeTls) {
        public Listener {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " is not a TCP port (UPKI_RA_PORT)");
            }
            if (edgeTls && mode != Mode.EDGE) {
                throw new IllegalArgumentException("edge-tls: only for --mode edge (direct mode always serves HTTPS)");
            }
        }

        /** Whether the listener serves HTTPS (direct mode always, edge mode with {@code edgeTls}). */
        public boolean https() {
            return mode == Mode.DIRECT || edgeTls;
        }
    }

    /**
     * The CA.
     *
     * @param endpoints the CA or active/standby CA pair ({@code --ca})
     * @param timeout how long one task may take before the caller is answered 503
     */
    public record CaLink(CaEndpoints endpoints, Duration timeout) {
        public CaLink {
            if (endpoints == null) {
                throw new IllegalArgumentException("ca: required (UPKI_CA)");
            }
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("ca-timeout: must be between 1 ms and 30 s");
            }
        }

        /**
         * {@code given} ({@code --ca}), else the one CA at the deprecated {@code --ca-host/--ca-port}.
         */
        public static CaEndpoints endpoints(CaEndpoints given, String caHost, int caPort) {
            if (given != null) {
                return given;
            }
            if (caPort < 1 || caPort > 65534) {
                throw new IllegalArgumentException("ca-port: " + caPort + " is not a TCP port (UPKI_CA_PORT)");
            }
            return CaEndpoints.of(caHost, caPort);
        }

        /** The operations endpoints as the CA client takes them: one, or a comma-separated pair. */
        public String operations() {
            return endpoints.operationsList();
        }

        /** The registration endpoints (each port + 1), tried in order like the operations endpoints. */
        public String registration() {
            return endpoints.registrationList();
        }
    }

    /**
     * The RA's own identity at registration.
     *
     * @param seed the CA's registration seed (only needed the first time, or after the key changed)
     * @param cn the certificate's common name
     * @param sans the DNS names and addresses of the RA's TLS certificate
     */
    public record Identity(String seed, String cn, List<String> sans) {
        public Identity {
            sans = sans == null ? List.of() : List.copyOf(sans);
        }
    }

    public RaConfig {
        if (dataDir == null) {
            throw new IllegalArgumentException("data-dir: required (UPKI_DATA_DIR)");
        }
        if (listen == null || ca == null || identity == null || crls == null) {
            throw new IllegalArgumentException("ra-core settings: listener, CA, identity and CRL feed are required");
        }
        if (crls.sources().isEmpty()) {
            throw new IllegalArgumentException("crl: " + (listen.mode() == Mode.EDGE ? "edge" : "direct") + " mode needs --crl "
                    + "(the crl-publisher's /crl.der): without a CRL every " + (listen.mode() == Mode.EDGE
                    ? "sidecar assertion is refused (a revoked sidecar must stop being trusted)" : "client is refused"));
        }
        if (adminRefresh == null || adminRefresh.isNegative() || adminRefresh.isZero()) {
            throw new IllegalArgumentException("admin-refresh: must be positive");
        }
        acme = acme == null ? AcmeSettings.defaults() : acme;
    }

    /** How callers are authenticated. */
    public Mode mode() {
        return listen.mode();
    }
}
