package io.upki.ca.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated settings of a running CA.
 *
 * @param dataDir folder holding the CA key, certificate, database and profiles
 * @param host address to bind (127.0.0.1 unless told otherwise)
 * @param port operations port; 0 picks a free one (tests)
 * @param registrationPort registration port, {@code port + 1} by default; 0 picks a free one
 * @param eventsPort event feed (PUB) port, {@code port + 2} by default; 0 picks a free one
 * @param crlValidity time from a CRL's thisUpdate to its nextUpdate
 * @param crlUrl CRL Distribution Point written into issued certificates, or null
 * @param ocspUrl OCSP responder written into issued certificates' Authority Information Access, or null
 */
public record CaConfig(Path dataDir, String host, int port, int registrationPort, int eventsPort, Duration crlValidity,
                       String crlUrl, String ocspUrl) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;
    public static final Duration DEFAULT_CRL_VALIDITY = Duration.ofDays(7);

    /** @throws IllegalArgumentException naming the offending setting */
    public CaConfig {
        if (dataDir == null) {
            throw new IllegalArgumentException("data_dir: required");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a TCP port");
        }
        if (registrationPort < 0 || registrationPort > 65535) {
            throw new IllegalArgumentException("registration port: " + registrationPort
                    + " is not a TCP port (it is port + 1 by default)");
        }
        if (eventsPort < 0 || eventsPort > 65535) {
            throw new IllegalArgumentException("events port: " + eventsPort + " is not a TCP port (port + 2 by default)");
        }
        if (port != 0 && port == registrationPort) {
            throw new IllegalArgumentException("registration port: must differ from port " + port);
        }
        if (crlValidity == null || crlValidity.compareTo(Duration.ofMinutes(5)) < 0
                || crlValidity.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("crl_validity: " + crlValidity + " is outside 5 minutes..366 days");
        }
        if (crlUrl != null && crlUrl.isBlank()) {
            crlUrl = null;
        }
        if (crlUrl != null && !(crlUrl.startsWith("http://") || crlUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("crl_url: '" + crlUrl + "' must be an http:// or https:// URL");
        }
        if (ocspUrl != null && ocspUrl.isBlank()) {
            ocspUrl = null;
        }
        // RFC 6960 appendix A.1: OCSP over HTTP; clients do not follow https for OCSP (RFC 5019 section 5).
        if (ocspUrl != null && !ocspUrl.startsWith("http://")) {
            throw new IllegalArgumentException("ocsp_url: '" + ocspUrl + "' must be an http:// URL");
        }
    }

    /** Settings without an OCSP responder URL. */
    public CaConfig(Path dataDir, String host, int port, int registrationPort, int eventsPort, Duration crlValidity,
                    String crlUrl) {
        this(dataDir, host, port, registrationPort, eventsPort, crlValidity, crlUrl, null);
    }

    /** The ZeroMQ endpoint of a port on the configured host. */
    public String endpoint(int p) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "tcp://" + h + ":" + p;
    }

    /**
     * Parses uPKI's {@code crl_validity}: a number of days, or an ISO-8601 duration ({@code PT12H}, {@code P7D}).
     */
    public static Duration parseCrlValidity(String text) {
        String t = text.strip();
        if (t.matches("[0-9]{1,4}")) {
            return Duration.ofDays(Long.parseLong(t));
        }
        try {
            return Duration.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("crl_validity: '" + text + "' is neither days nor an ISO-8601 duration");
        }
    }
}
