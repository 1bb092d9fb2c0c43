package io.upki.sidecar.decision;

import io.upki.pki.x509.SubjectFormat;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.upki.pki.assertion.Identity;
import io.upki.pki.clientcert.ClientCertificateSource;
import io.upki.pki.clientcert.Headers;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Purpose;
import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.VerifiedPath;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.UpkiRole;
import io.upki.pki.admins.AdminDirectory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decides one forward-auth request as a pipeline: route class, certificate header, path to a trust
 * anchor, revocation, role.
 *
 * <p>Only the expensive part, the verified path with the identity facts derived from it, is cached
 * (Caffeine, keyed by the hash of the certificate header exactly as the proxy sent it). Validity, revocation and the
 * administrator check run on every request against the current clock, CRLs and admin list, so a new
 * CRL takes effect on the very next request; the cache is also dropped when a CRL or admin list arrives.
 */
public final class DecisionEngine {
    /** The facts of a verified path that do not change until the CRL or admin list does. */
    public record VerifiedClient(VerifiedPath path, String subject, String subjectKey, String serialHex, String fingerprint,
                          boolean adminRole) {
    }

    private final ChainVerifier chains;
    private final Supplier<RevocationIndex> crls;
    private final AdminDirectory admins;
    private final RoutePolicy policy;
    private final Clock clock;
    private final Duration crlGrace;
    private final Cache<String, VerifiedClient> cache;

    /** @param cacheSize most verified paths kept (least recently used go first) */
    public DecisionEngine(ChainVerifier chains, Supplier<RevocationIndex> crls, AdminDirectory admins,
                          RoutePolicy policy, Clock clock, Duration crlGrace, long cacheSize) {
        this.chains = chains;
        this.crls = crls;
        this.admins = admins;
        this.policy = policy;
        this.clock = clock;
        this.crlGrace = crlGrace;
        // Maintenance (eviction, expiry) on the calling thread: by default Caffeine hands it to the
        // common pool after writes, a thread wake-up per new client that a two-core machine pays in
        // context switches on the cold path.
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterAccess(Duration.ofMinutes(10))
                .executor(Runnable::run).recordStats().build();
    }

    /** Drops every cached path (a new CRL or admin list arrived). */
    public void invalidate() {
        cache.invalidateAll();
    }

    public Cache<String, VerifiedClient> cache() {
        return cache;
    }

    /**
     * @param uri the original request's path and query, from the proxy's header
     */
    public Decision decide(ClientCertificateSource source, Headers headers, String method, String uri) {
        RouteClass route = policy.classify(uri);
        if (route == null || method == null || method.isEmpty()) {
            return Decision.refuse(Refusal.BAD_REQUEST, route, "original method or URI missing or unsafe: " + uri);
        }
        if (route == RouteClass.PUBLIC) {
            return Decision.allow(route, null);
        }
        try {
            // Warm path: the same header as before maps straight to its verified path, without decoding.
            String key = headerKey(source, headers);
            VerifiedClient client = key == null ? null : cache.getIfPresent(key);
            boolean seenBefore = client != null;
            List<X509Certificate> presented = client == null ? source.read(headers) : null;
            if (route == RouteClass.DENY) {
                throw new RefusedException(Refusal.NOT_ALLOWED, "no rule allows " + uri);
            }
            if (client == null) {
                client = verified(presented);
                cache.put(key, client);
            }
            Instant now = clock.instant();
            checkValidity(client.path(), now);
            RevocationIndex index = crls.get();
            index.check(client.path(), now, crlGrace);
            boolean admin = client.adminRole() || admins.contains(client.subjectKey());
            if (route == RouteClass.ADMIN && !admin) {
                throw new RefusedException(Refusal.NOT_ADMIN, client.subject() + " is not an administrator");
            }
            CrlSnapshot leafCrl = index.snapshotFor(client.path().certificates().get(1));
            return Decision.allow(route, new Identity(client.subject(), client.serialHex(), client.fingerprint(),
                    admin ? "admin" : "client", leafCrl.number().toString()), seenBefore);
        } catch (RefusedException e) {
            return Decision.refuse(e.refusal(), route, e.getMessage());
        }
    }

    private VerifiedClient verified(List<X509Certificate> presented) throws RefusedException {
        VerifiedPath path = chains.verify(presented, Purpose.CLIENT_AUTH);
        X509Certificate leaf = path.leaf();
        return new VerifiedClient(path, SubjectFormat.rfc4514(leaf.getSubjectX500Principal()),
                DistinguishedNames.canonicalKey(CertificateFacts.subject(leaf)),
                leaf.getSerialNumber().toString(16), CertificateFacts.sha256Fingerprint(leaf),
                UpkiRole.ADMIN.heldBy(leaf));
    }

    private static void checkValidity(VerifiedPath path, Instant now) throws RefusedException {
        Date date = Date.from(now);
        for (X509Certificate cert : path.certificates()) {
            try {
                cert.checkValidity(date);
            } catch (CertificateExpiredException e) {
                throw new RefusedException(Refusal.EXPIRED, cert.getSubjectX500Principal() + " expired");
            } catch (CertificateNotYetValidException e) {
                throw new RefusedException(Refusal.NOT_YET_VALID, cert.getSubjectX500Principal() + " not yet valid");
            }
        }
    }

    /**
     * SHA-256 over the proxy profile and the exact header values: equal keys mean the same presented
     * certificates, so a cached verified path can be reused without decoding. Null when no header came.
     */
    private static String headerKey(ClientCertificateSource source, Headers headers) {
        List<String> values = headers.all(source.header());
        if (values == null || values.isEmpty()) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.name().getBytes(StandardCharsets.US_ASCII));
            for (String v : values) {
                sha.update((byte) 0);
                sha.update(v.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
