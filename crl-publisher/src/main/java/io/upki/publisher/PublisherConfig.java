package io.upki.publisher;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated settings of a publisher.
 *
 * @param caCert pinned CA certificate, or null to fetch it with {@code get_ca} once and pin it in {@code outDir}
 * @param margin ask for a new CRL when nextUpdate is closer than this
 * @param debounce quiet time after a revocation event before asking for a CRL
 * @param maxDelay longest a burst of revocations may postpone the CRL
 * @param maxAge Cache-Control max-age of the distribution point (never past nextUpdate)
 * @param caTimeout longest wait for one CA answer; an on-demand refresh fails after it with 503
 * @param ocsp the OCSP responder's settings, or null to serve no {@code /ocsp}
 * @param pushDeltas push the delta CRL issued with each new CRL to subscribers before the complete CRL
 *     (RFC 5280 section 5.2.4); off, subscribers fetch every complete CRL as before
 */
public record PublisherConfig(String caEndpoint, String eventsEndpoint, Path caCert, Path outDir, String host, int port,
                              Duration margin, Duration debounce, Duration maxDelay, Duration maxAge, Duration caTimeout,
                              Ocsp ocsp, boolean pushDeltas) {
    /**
     * The OCSP responder (RFC 6960) of {@code --ocsp}.
     *
     * @param signerDir folder of the delegated signer's key (0600) and certificate
     * @param signerCn common name of the delegated signer's certificate
     * @param validity nextUpdate - thisUpdate of a response (never past the CRL's nextUpdate)
     */
    public record Ocsp(Path signerDir, String signerCn, Duration validity) {
        public Ocsp {
            if (signerDir == null) {
                throw new IllegalArgumentException("ocsp-dir: required");
            }
            if (signerCn == null || signerCn.isBlank() || signerCn.length() > 64) {
                throw new IllegalArgumentException("ocsp-cn: must be 1 to 64 characters");
            }
            if (validity == null || validity.compareTo(Duration.ofSeconds(10)) < 0
                    || validity.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("ocsp-validity: must be between 10 seconds and 7 days");
            }
        }
    }

    /** Settings without an OCSP responder. */
    public PublisherConfig(String caEndpoint, String eventsEndpoint, Path caCert, Path outDir, String host, int port,
                           Duration margin, Duration debounce, Duration maxDelay, Duration maxAge, Duration caTimeout) {
        this(caEndpoint, eventsEndpoint, caCert, outDir, host, port, margin, debounce, maxDelay, maxAge, caTimeout, null);
    }

    /** Settings that push delta CRLs (the default). */
    public PublisherConfig(String caEndpoint, String eventsEndpoint, Path caCert, Path outDir, String host, int port,
                           Duration margin, Duration debounce, Duration maxDelay, Duration maxAge, Duration caTimeout,
                           Ocsp ocsp) {
        this(caEndpoint, eventsEndpoint, caCert, outDir, host, port, margin, debounce, maxDelay, maxAge, caTimeout, ocsp,
                true);
    }

    public PublisherConfig {
        caEndpoint = io.upki.pki.caclient.CaEndpoints.parse(caEndpoint, "ca").operationsList();
        if (eventsEndpoint != null && !eventsEndpoint.isBlank()) {
            eventsEndpoint = String.join(",", io.upki.pki.caclient.ZmqCaClient.parseEndpoints(eventsEndpoint));
        }
        if (outDir == null) {
            throw new IllegalArgumentException("out: required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen: port out of range");
        }
        if (caTimeout == null || caTimeout.isNegative() || caTimeout.isZero()) {
            throw new IllegalArgumentException("ca-timeout: must be positive");
        }
        if (margin.isNegative() || debounce.isNegative() || maxDelay.compareTo(debounce) < 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("margin, debounce, max-delay (>= debounce) and max-age must not be negative");
        }
    }

    /** The CAs' event feeds: each operations port + 2 on the same host unless given (comma-separated). */
    public static String defaultEvents(String caEndpoint) {
        return String.join(",", io.upki.pki.caclient.CaEndpoints.parse(caEndpoint, "ca").events());
    }
}
