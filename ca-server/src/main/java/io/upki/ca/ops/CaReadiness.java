package io.upki.ca.ops;

import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.crl.CrlService;
import io.upki.ca.store.Database;
import io.upki.ca.store.StoredCrl;
import io.upki.pki.ops.CachedCheck;
import io.upki.pki.ops.Readiness;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Whether the CA can do its work: the store takes writes, the CA key signs (a test signature, verified
 * against the CA certificate) and the latest CRL's nextUpdate is still ahead (RFC 5280 section 5.1.2.5).
 * The store and key checks run at most once per {@code ttl}; the CRL check reads memory on every probe.
 */
public final class CaReadiness implements Supplier<Readiness> {
    private static final byte[] PROBE = "upki readiness probe".getBytes(StandardCharsets.US_ASCII);

    private final java.util.function.Supplier<CrlService> crls;
    private final Clock clock;
    private final CachedCheck store;
    private final CachedCheck key;

    /**
     * @param ca the current issuing CA (it changes at a rollover)
     * @param crls the current generation's CRL service
     */
    public CaReadiness(Database database, java.util.function.Supplier<CertificateAuthority> ca,
                       java.util.function.Supplier<CrlService> crls, Clock clock, Duration ttl) {
        this.crls = crls;
        this.clock = clock;
        this.store = new CachedCheck(() -> {
            database.checkWritable();
            return Readiness.OK;
        }, ttl, clock);
        this.key = new CachedCheck(() -> keySigns(ca.get()), ttl, clock);
    }

    @Override
    public Readiness get() {
        return Readiness.all(List.of(prefixed("store", store.get()), prefixed("key", key.get()), crl()));
    }

    private Readiness crl() {
        StoredCrl latest = crls.get().latest();
        if (latest == null) {
            return Readiness.notReady("crl: none signed yet (the first get_crl signs one)");
        }
        if (!clock.instant().isBefore(latest.nextUpdate())) {
            return Readiness.notReady("crl: CRL " + latest.number() + " is stale: its nextUpdate "
                    + latest.nextUpdate() + " has passed and no newer CRL was asked for");
        }
        return Readiness.OK;
    }

    private static Readiness keySigns(CertificateAuthority ca) {
        try {
            ContentSigner signer = ca.signer("sha256");
            try (OutputStream out = signer.getOutputStream()) {
                out.write(PROBE);
            }
            byte[] signature = signer.getSignature();
            ContentVerifier verifier = new JcaContentVerifierProviderBuilder().build(ca.certificate())
                    .get(signer.getAlgorithmIdentifier());
            try (OutputStream out = verifier.getOutputStream()) {
                out.write(PROBE);
            }
            return verifier.verify(signature) ? Readiness.OK
                    : Readiness.notReady("the CA key's test signature does not verify with the CA certificate");
        } catch (Exception e) {
            return Readiness.notReady("the CA key cannot sign: " + e.getMessage());
        }
    }

    private static Readiness prefixed(String what, Readiness r) {
        return r.ready() ? r : Readiness.notReady(what + ": " + r.reason());
    }
}
