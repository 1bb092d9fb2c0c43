package io.upki.acme.store;

import io.upki.acme.db.Database;
import io.upki.acme.db.StoreLocation;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Durable ACME state: one store per resource over one {@link Database}, and {@link #transaction} to
 * make changes to several resources one atomic change. Safe for concurrent use.
 */
public final class AcmeStore implements AutoCloseable {
    private final Database db;
    private final AccountStore accounts;
    private final OrderStore orders;
    private final AuthorizationStore authorizations;
    private final ChallengeStore challenges;
    private final CertificateStore certificates;

    public AcmeStore(Database db) {
        this.db = db;
        this.accounts = new AccountStore(db);
        this.orders = new OrderStore(db);
        this.authorizations = new AuthorizationStore(db);
        this.challenges = new ChallengeStore(db);
        this.certificates = new CertificateStore(db);
    }

    /** Opens (creating or migrating when needed) the SQLite store {@code file}. */
    public static AcmeStore sqlite(Path file) {
        return new AcmeStore(Database.sqlite(file));
    }

    /** Opens (creating or migrating when needed) the store at {@code location}. */
    public static AcmeStore open(StoreLocation location) {
        return new AcmeStore(location.open());
    }

    /**
     * The nonces for this store: in the database when other replicas may share it (so each accepts the
     * others' nonces), else in memory (RFC 8555 section 6.5 lets a restart cost each client one retry,
     * and every request saves two writes to the file).
     */
    public Nonces nonces(Clock clock, Duration lifetime, SecureRandom random) {
        return db.shared() ? new SharedNonces(db, clock, lifetime, random) : new NonceStore(clock, lifetime, random);
    }

    public AccountStore accounts() {
        return accounts;
    }

    public OrderStore orders() {
        return orders;
    }

    public AuthorizationStore authorizations() {
        return authorizations;
    }

    public ChallengeStore challenges() {
        return challenges;
    }

    public CertificateStore certificates() {
        return certificates;
    }

    /** Runs {@code work} as one atomic change. */
    public void transaction(Runnable work) {
        db.transaction(work);
    }

    @Override
    public void close() {
        db.close();
    }
}
