package io.upki.sidecar;

import io.upki.pki.crlfeed.CrlFallbackSettings;
import io.upki.sidecar.decision.RoutePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validated settings of a sidecar.
 *
 * @param adminsFile file of administrator DNs, or null when {@code caEndpoint} gives the list
 * @param caEndpoint CA operations endpoint for {@code list_admins} (unless {@code adminsFile} is given)
 *     and the CRL fallback's {@code get_crl}, or null
 * @param crlEvents the crl-publishers' server-sent events URLs, comma-separated, or null to rely on polling only
 * @param signing where the assertion key comes from
 * @param tls HTTPS with the proxy's client certificate required, or null for plain HTTP (then reaching
 *     the sidecar's port is as good as being an administrator: see docs/AUTH-SIDECAR.md)
 * @param fallback taking CRLs from the CA while no publisher answers, or null for none
 */
public record SidecarConfig(
        String host, int port, Path trustAnchor, Path intermediates, List<String> crls, String crlEvents, Duration crlPoll,
        Duration crlGrace, Path adminsFile, String caEndpoint, Duration adminRefresh, String proxy,
        RoutePolicy routes, Signing signing, Duration assertionTtl, int maxHeaderBytes, int maxCertificates,
        long cacheSize, boolean audit, Tls tls, CrlFallbackSettings fallback) {

    /** Settings without a CRL fallback. */
    public SidecarConfig(String host, int port, Path trustAnchor, Path intermediates, List<String> crls, String crlEvents,
                         Duration crlPoll, Duration crlGrace, Path adminsFile, String caEndpoint, Duration adminRefresh,
                         String proxy, RoutePolicy routes, Signing signing, Duration assertionTtl, int maxHeaderBytes,
                         int maxCertificates, long cacheSize, boolean audit, Tls tls) {
        this(host, port, trustAnchor, intermediates, crls, crlEvents, crlPoll, crlGrace, adminsFile, caEndpoint,
                adminRefresh, proxy, routes, signing, assertionTtl, maxHeaderBytes, maxCertificates, cacheSize, audit, tls,
                null);
    }

    /**
     * The sidecar's own HTTPS certificate chain and key (PEM files); clients must present a certificate
     * of upki's {@code proxy} profile chaining to the trust anchor.
     */
    public record Tls(Path certFile, Path keyFile) {
        public Tls {
            if (certFile == null || keyFile == null) {
                throw new IllegalArgumentException("tls: --tls-cert and --tls-key go together");
            }
        }
    }

    /** Plain HTTP settings (no TLS): only for a sidecar no one but the proxy can reach. */
    public SidecarConfig(String host, int port, Path trustAnchor, Path intermediates, List<String> crls, String crlEvents,
                         Duration crlPoll, Duration crlGrace, Path adminsFile, String caEndpoint, Duration adminRefresh,
                         String proxy, RoutePolicy routes, Signing signing, Duration assertionTtl, int maxHeaderBytes,
                         int maxCertificates, long cacheSize, boolean audit) {
        this(host, port, trustAnchor, intermediates, crls, crlEvents, crlPoll, crlGrace, adminsFile, caEndpoint,
                adminRefresh, proxy, routes, signing, assertionTtl, maxHeaderBytes, maxCertificates, cacheSize, audit, null);
    }

    /** The same settings served over HTTPS with {@code tls}. */
    public SidecarConfig withTls(Tls tls) {
        return new SidecarConfig(host, port, trustAnchor, intermediates, crls, crlEvents, crlPoll, crlGrace, adminsFile,
                caEndpoint, adminRefresh, proxy, routes, signing, assertionTtl, maxHeaderBytes, maxCertificates,
                cacheSize, audit, tls, fallback);
    }

    /** The same settings taking CRLs from the CA while no publisher answers. */
    public SidecarConfig withFallback(CrlFallbackSettings fallback) {
        return new SidecarConfig(host, port, trustAnchor, intermediates, crls, crlEvents, crlPoll, crlGrace, adminsFile,
                caEndpoint, adminRefresh, proxy, routes, signing, assertionTtl, maxHeaderBytes, maxCertificates,
                cacheSize, audit, tls, fallback);
    }

    /** Whether a CA client is needed (admin list from the CA, or the CRL fallback). */
    public boolean usesCa() {
        return caEndpoint != null && !caEndpoint.isEmpty();
    }

    /** Files, or registration with the CA (endpoint, seed, CN, state folder). */
    public record Signing(Path keyFile, Path chainFile, String registrationEndpoint, String seed, String cn, Path stateDir) {
        public Signing {
            boolean files = keyFile != null || chainFile != null;
            boolean register = registrationEndpoint != null && !registrationEndpoint.isEmpty();
            if (files == register) {
                throw new IllegalArgumentException("assertion key: give --assertion-key and --assertion-cert, "
                        + "or --register tcp://ca:5001 with --seed");
            }
            if (files && (keyFile == null || chainFile == null)) {
                throw new IllegalArgumentException("assertion key: --assertion-key and --assertion-cert go together");
            }
        }
    }

    public SidecarConfig {
        if (trustAnchor == null) {
            throw new IllegalArgumentException("trust-anchor: required");
        }
        if (crls == null || crls.isEmpty()) {
            throw new IllegalArgumentException("crl: at least one --crl is required (without a CRL every request is refused)");
        }
        boolean ca = caEndpoint != null && !caEndpoint.isEmpty();
        // Both only with the fallback: then the file is the admin list and the CA serves CRLs.
        if (adminsFile == null && !ca || adminsFile != null && ca && fallback == null) {
            throw new IllegalArgumentException("admins: give exactly one of --admins FILE or --ca tcp://host:port "
                    + "(both only with --ca-events, where --ca serves the CRL fallback)");
        }
        if (fallback != null && !ca) {
            throw new IllegalArgumentException("ca-events: the CRL fallback needs --ca tcp://host:port (for get_crl)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen: port " + port + " out of range");
        }
        if (crlGrace.isNegative()) {
            throw new IllegalArgumentException("crl-grace: must not be negative");
        }
        if (assertionTtl.isNegative() || assertionTtl.isZero() || assertionTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("assertion-ttl: must be between 1 s and 5 min");
        }
        if (maxHeaderBytes < 4096 || maxCertificates < 1) {
            throw new IllegalArgumentException("max-header-bytes must be >= 4096 and max-certificates >= 1");
        }
        crls = List.copyOf(crls);
    }
}
