package io.upki.bench;

import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaLoader;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.issue.CertificateIssuer;
import io.upki.ca.issue.SerialNumbers;
import io.upki.ca.profile.Profile;
import io.upki.ca.profile.ProfileRegistry;
import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.JdbcCertificateRepository;
import io.upki.ca.store.SqliteDatabase;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Fills a stopped CA's SQLite store through the CA's own repository: synthetic certificates (one real
 * certificate's DER under many distinct random serials) and revocations, in large transactions.
 */
final class StoreSeeder implements AutoCloseable {
    /** Seeded certificates are named {@code bench-<i>}; only those are revoked or listed for revoke. */
    static final String CN_PREFIX = "bench-";
    private static final RevocationReason[] REASONS = {RevocationReason.KEY_COMPROMISE, RevocationReason.SUPERSEDED,
        RevocationReason.CESSATION_OF_OPERATION, RevocationReason.UNSPECIFIED, RevocationReason.AFFILIATION_CHANGED};

    private final SqliteDatabase db;
    private final JdbcCertificateRepository certificates;
    private final X509CertificateHolder template;
    private final String fingerprint;
    private final SerialNumbers serials;
    private final int batch;
    private final Clock clock = Clock.systemUTC();

    private StoreSeeder(SqliteDatabase db, X509CertificateHolder template, SecureRandom random, int batch) {
        this.db = db;
        this.certificates = new JdbcCertificateRepository(db);
        this.template = template;
        this.fingerprint = CertificateFacts.sha256Fingerprint(encoded(template));
        this.serials = new SerialNumbers(random);
        this.batch = Math.max(1, batch);
    }

    /** Opens the store of {@code dataDir} and signs the one real certificate every seeded row reuses. */
    static StoreSeeder open(Path dataDir, int batch) {
        CaFiles files = new CaFiles(dataDir);
        if (!Files.exists(files.database())) {
            throw new IllegalStateException("no CA database in " + dataDir + ": init and start the CA once first");
        }
        CertificateAuthority ca = CaLoader.load(files, null);
        Profile server = ProfileRegistry.load(files.profiles()).find("server")
                .orElseThrow(() -> new IllegalStateException("no server profile"));
        SecureRandom random = new SecureRandom();
        X509CertificateHolder template = new CertificateIssuer(ca, Clock.systemUTC(), null)
                .issue(new SerialNumbers(random).next(), subject("bench-template"), ecPublicKey(random), server,
                        List.of(), null);
        return new StoreSeeder(new SqliteDatabase(files.database()), template, random, batch);
    }

    /**
     * @param add certificates to insert
     * @param revokedTotal revoked certificates wanted in the store afterwards, or negative to leave them
     * @param reserve unrevoked seeded certificates to write to {@code serialsOut} afterwards
     */
    void seed(int add, int revokedTotal, int reserve, Path serialsOut) throws IOException {
        long started = System.nanoTime();
        insert(add);
        int revokedNow = countRevoked();
        int toRevoke = Math.max(0, revokedTotal - revokedNow);
        int shortfall = toRevoke + reserve - countUnrevokedSeeded();
        if (shortfall > 0) {
            // Top the store up so that both the revocations and the serials reserved for revoke exist.
            insert(shortfall);
        }
        revoke(toRevoke);
        if (serialsOut != null) {
            List<BigInteger> picked = unrevokedSeeded(reserve, true);
            List<String> lines = new ArrayList<>(picked.size());
            picked.forEach(s -> lines.add(s.toString()));
            Files.write(serialsOut, lines);
        }
        System.err.printf("seed-store: %d stored, %d revoked (%.1f s)%n", certificates.count(), countRevoked(),
                (System.nanoTime() - started) / 1e9);
    }

    private void insert(int n) {
        long offset = certificates.count();
        Instant notBefore = template.getNotBefore().toInstant();
        Instant notAfter = template.getNotAfter().toInstant();
        byte[] der = encoded(template);
        for (int done = 0; done < n; ) {
            int size = Math.min(batch, n - done);
            long first = offset + done;
            db.transaction(c -> {
                for (int i = 0; i < size; i++) {
                    X500Name name = subject(CN_PREFIX + (first + i));
                    // JdbcCertificateRepository.insert joins this transaction (the database lock is reentrant).
                    certificates.insert(new CertificateRecord(serials.next(), CN_PREFIX + (first + i),
                            DistinguishedNames.toSlash(name), DistinguishedNames.canonicalKey(name), "server",
                            notBefore, notAfter, clock.instant(), fingerprint, der, null, null, null));
                }
                return null;
            });
            done += size;
        }
    }

    private void revoke(int n) {
        if (n <= 0) {
            return;
        }
        List<BigInteger> targets = unrevokedSeeded(n, false);
        Instant base = clock.instant().minus(Duration.ofDays(30));
        for (int done = 0; done < targets.size(); ) {
            int size = Math.min(batch, targets.size() - done);
            int from = done;
            db.transaction(c -> {
                for (int i = from; i < from + size; i++) {
                    // Spread revocation dates and reasons as a real CRL would have them.
                    certificates.revoke(targets.get(i), REASONS[i % REASONS.length], base.plusSeconds(17L * i));
                }
                return null;
            });
            done += size;
        }
    }

    private int countRevoked() {
        return db.read(c -> scalar(c.prepareStatement(
                "SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL")));
    }

    private int countUnrevokedSeeded() {
        return db.read(c -> {
            PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM certificates WHERE revoked_at IS NULL AND common_name LIKE ?");
            ps.setString(1, CN_PREFIX + "%");
            return scalar(ps);
        });
    }

    /** Unrevoked seeded serials: oldest first to revoke, newest first to reserve, so the two never overlap. */
    private List<BigInteger> unrevokedSeeded(int n, boolean newestFirst) {
        return db.read(c -> {
            List<BigInteger> out = new ArrayList<>(n);
            try (PreparedStatement ps = c.prepareStatement("SELECT serial FROM certificates WHERE revoked_at IS NULL"
                    + " AND common_name LIKE ? ORDER BY id " + (newestFirst ? "DESC" : "ASC") + " LIMIT ?")) {
                ps.setString(1, CN_PREFIX + "%");
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new BigInteger(rs.getString(1), 16));
                    }
                }
            }
            return out;
        });
    }

    private static int scalar(PreparedStatement ps) throws SQLException {
        try (ps; ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static X500Name subject(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "FR").addRDN(BCStyle.O, "Company")
                .addRDN(BCStyle.OU, "Servers").addRDN(BCStyle.CN, cn).build();
    }

    private static SubjectPublicKeyInfo ecPublicKey(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return SubjectPublicKeyInfo.getInstance(generator.generateKeyPair().getPublic().getEncoded());
        } catch (NoSuchAlgorithmException | java.security.InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("EC P-256 is always available", e);
        }
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
