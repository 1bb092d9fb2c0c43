package io.upki.pki.crl;

import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.VerifiedPath;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The accepted CRLs, one per issuing CA; immutable, so a new CRL is swapped in atomically by replacing
 * the whole index. Every certificate of a path but the anchor must be covered by a current CRL of its
 * issuer: no CRL means no decision but "deny".
 */
public final class RevocationIndex {
    private static final RevocationIndex EMPTY = new RevocationIndex(Map.of());

    private final Map<X509Certificate, CrlSnapshot> byIssuer;

    private RevocationIndex(Map<X509Certificate, CrlSnapshot> byIssuer) {
        this.byIssuer = Map.copyOf(byIssuer);
    }

    public static RevocationIndex empty() {
        return EMPTY;
    }

    public CrlSnapshot snapshotFor(X509Certificate issuer) {
        return byIssuer.get(issuer);
    }

    public Collection<CrlSnapshot> snapshots() {
        return byIssuer.values();
    }

    /** A new index with {@code snapshot} replacing its issuer's previous CRL. */
    public RevocationIndex with(CrlSnapshot snapshot) {
        Map<X509Certificate, CrlSnapshot> next = new HashMap<>(byIssuer);
        next.put(snapshot.issuer(), snapshot);
        return new RevocationIndex(next);
    }

    /**
     * @throws RefusedException REVOKED when a certificate is listed, NO_CRL when an issuer has no current CRL
     */
    public void check(VerifiedPath path, Instant now, Duration grace) throws RefusedException {
        var certs = path.certificates();
        for (int i = 0; i < certs.size() - 1; i++) {
            X509Certificate cert = certs.get(i);
            X509Certificate issuer = certs.get(i + 1);
            CrlSnapshot crl = byIssuer.get(issuer);
            if (crl == null || !crl.currentAt(now, grace)) {
                throw new RefusedException(Refusal.NO_CRL, "no current CRL from " + issuer.getSubjectX500Principal());
            }
            if (crl.revokes(cert.getSerialNumber())) {
                throw new RefusedException(Refusal.REVOKED, cert.getSubjectX500Principal() + " serial "
                        + cert.getSerialNumber().toString(16) + " revoked (CRL " + crl.number() + ")");
            }
        }
    }

    /** True when every trusted CA that issues certificates has a current CRL. */
    public boolean currentFor(Collection<X509Certificate> issuers, Instant now, Duration grace) {
        for (X509Certificate issuer : issuers) {
            CrlSnapshot crl = byIssuer.get(issuer);
            if (crl == null || !crl.currentAt(now, grace)) {
                return false;
            }
        }
        return true;
    }
}
