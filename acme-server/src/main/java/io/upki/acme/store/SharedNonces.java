package io.upki.acme.store;

import io.upki.acme.db.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Nonces in the shared database (table {@code nonce}): any replica accepts a nonce any replica issued,
 * and single use holds across replicas because consuming is one {@code DELETE} of the row, which exactly
 * one caller sees succeed. Each is committed before the response that carries it leaves.
 */
final class SharedNonces implements Nonces {
    private final Database db;
    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random;

    SharedNonces(Database db, Clock clock, Duration lifetime, SecureRandom random) {
        this.db = db;
        this.clock = clock;
        this.lifetime = lifetime;
        this.random = random;
    }

    @Override
    public String issue() {
        String nonce = Nonces.fresh(random);
        db.update("INSERT INTO nonce (value, expires) VALUES (?, ?)", nonce, clock.instant().plus(lifetime).toEpochMilli());
        return nonce;
    }

    @Override
    public boolean consume(String nonce) {
        if (!Nonces.plausible(nonce)) {
            return false;
        }
        // The row goes whether or not it expired; only an unexpired one counts. Two replicas deleting
        // the same row at once: PostgreSQL lets one delete it, the other sees 0 rows.
        return db.one("DELETE FROM nonce WHERE value = ? RETURNING expires", r -> r.getLong(1), nonce)
                .map(expires -> clock.instant().toEpochMilli() < expires)
                .orElse(false);
    }

    @Override
    public int purge() {
        return db.update("DELETE FROM nonce WHERE expires <= ?", clock.instant().toEpochMilli());
    }
}
