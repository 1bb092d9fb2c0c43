package io.upki.sidecar;

import io.upki.pki.options.CrlFeedSettings;
import io.upki.pki.process.ProcessRunner;
import io.upki.sidecar.decision.RoutePolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated settings of a sidecar, composed of small records that each check their own fields; the
 * rules across them (where the admin list comes from, what the CRL fallback needs) are checked here.
 *
 * @param listen where {@code /auth} is served (port 0: any free port)
 * @param trust the trust anchor, intermediates and CRLs client certificates are checked against
 * @param admins where the administrator list comes from
 * @param signing where the assertion key comes from
 * @param limits bounds on what a request may carry and on what is kept
 * @param decisions how {@code /auth} answers: proxy profile, route policy, audit
 * @param tls HTTPS with the proxy's client certificate required, or null for plain HTTP (then reaching
 *     the sidecar's port is as good as being an administrator: see docs/AUTH-SIDECAR.md)
 */
public record SidecarConfig(ProcessRunner.HostPort listen, Trust trust, Admins admins, Signing signing, Limits limits,
                            Decisions decisions, Tls tls) {

    public SidecarConfig {
        if (listen == null || trust == null || admins == null || signing == null || limits == null || decisions == null) {
            throw new IllegalArgumentException("sidecar: listen, trust, admins, signing, limits and decisions are required");
        }
        boolean ca = admins.usesCa();
        boolean fallback = trust.crls().fallback() != null;
        // Both only with the fallback: then the file is the admin list and the CA serves CRLs.
        if (admins.file() == null && !ca || admins.file() != null && ca && !fallback) {
            throw new IllegalArgumentException("admins: give exactly one of --admins FILE or --ca tcp://host:port "
                    + "(both only with --ca-events, where --ca serves the CRL fallback)");
        }
        if (fallback && !ca) {
            throw new IllegalArgumentException("ca-events: the CRL fallback needs --ca tcp://host:port (for get_crl)");
        }
        // ProcessRunner.HostPort is shared and checks its port only when parsed from text.
        if (listen.port() < 0 || listen.port() > 65535) {
            throw new IllegalArgumentException("listen: port " + listen.port() + " out of range");
        }
    }

    /** Whether a CA client is needed (admin list from the CA, or the CRL fallback). */
    public boolean usesCa() {
        return admins.usesCa();
    }

    /** The CA operations endpoints ({@code list_admins}, the CRL fallback's {@code get_crl}), or null. */
    public String caEndpoint() {
        return admins.caEndpoint();
    }

    /**
     * What a client certificate is checked against.
     *
     * @param trustAnchor PEM file with one or more root certificates
     * @param intermediates PEM bundle of intermediate CA certificates, or null
     * @param crls the CRL sources, push channels, CA fallback, poll interval and grace; at least one source
     */
    public record Trust(Path trustAnchor, Path intermediates, CrlFeedSettings crls) {
        public Trust {
            if (trustAnchor == null) {
                throw new IllegalArgumentException("trust-anchor: required");
            }
            if (crls == null || crls.sources().isEmpty()) {
                throw new IllegalArgumentException("crl: at least one --crl is required (without a CRL every request is refused)");
            }
        }
    }

    /**
     * Where the administrator list comes from: a file, or the CA's {@code list_admins}.
     *
     * @param file file of administrator DNs, or null when {@code caEndpoint} gives the list
     * @param caEndpoint CA operations endpoints for {@code list_admins} (unless {@code file} is given) and
     *     the CRL fallback's {@code get_crl}, or null
     * @param refresh how often the list is read again
     */
    public record Admins(Path file, String caEndpoint, Duration refresh) {
        /** Whether the CA is named (for the admin list or the CRL fallback). */
        public boolean usesCa() {
            return caEndpoint != null && !caEndpoint.isEmpty();
        }
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

    /**
     * Bounds on a request's certificate header, on the verified paths kept, and on an assertion's life.
     *
     * @param maxHeaderBytes largest certificate header accepted (at least 4096)
     * @param maxCertificates most certificates accepted in one header (at least 1)
     * @param cacheSize verified paths kept in the cache
     * @param assertionTtl lifetime of an assertion, 1 s to 5 min
     */
    public record Limits(int maxHeaderBytes, int maxCertificates, long cacheSize, Duration assertionTtl) {
        public Limits {
            if (assertionTtl.isNegative() || assertionTtl.isZero() || assertionTtl.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("assertion-ttl: must be between 1 s and 5 min");
            }
            if (maxHeaderBytes < 4096 || maxCertificates < 1) {
                throw new IllegalArgumentException("max-header-bytes must be >= 4096 and max-certificates >= 1");
            }
        }
    }

    /**
     * How {@code /auth} answers.
     *
     * @param proxy the proxy profile: traefik, nginx or caddy
     * @param routes which paths need which kind of caller
     * @param audit whether one audit line is written per decision
     */
    public record Decisions(String proxy, RoutePolicy routes, boolean audit) {
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
}
