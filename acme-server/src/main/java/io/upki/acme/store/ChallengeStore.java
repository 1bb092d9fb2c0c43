package io.upki.acme.store;

import io.upki.acme.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** ACME challenges (RFC 8555 section 8), with the compare-and-set that lets one validation run. */
public final class ChallengeStore {
    private final Database db;

    ChallengeStore(Database db) {
        this.db = db;
    }

    public void insert(Challenge c) {
        db.update("INSERT INTO challenge (id, authz_id, type, token, status, validated, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                c.id(), c.authorizationId(), c.type(), c.token(), c.status().name(), Columns.millis(c.validated()), c.error());
    }

    public Optional<Challenge> get(String id) {
        return db.one("SELECT * FROM challenge WHERE id = ?", ChallengeStore::read, id);
    }

    /** An authorization's challenges in the order they were offered. */
    public List<Challenge> of(String authorizationId) {
        return db.all("SELECT * FROM challenge WHERE authz_id = ? ORDER BY " + db.engine().insertionOrder(),
                ChallengeStore::read, authorizationId);
    }

    /** Stores the status, validation time and error. */
    public void update(Challenge c) {
        db.update("UPDATE challenge SET status = ?, validated = ?, error = ? WHERE id = ?",
                c.status().name(), Columns.millis(c.validated()), c.error(), c.id());
    }

    /** Moves a challenge from PENDING to PROCESSING only if it is still pending. */
    public boolean start(String id) {
        return db.update("UPDATE challenge SET status = 'PROCESSING' WHERE id = ? AND status = 'PENDING'", id) == 1;
    }

    private static Challenge read(ResultSet r) throws SQLException {
        // wasNull() speaks of the column read last, so it is asked right after reading validated.
        Instant validated = Columns.instant(r.getLong("validated"), r.wasNull());
        return new Challenge(r.getString("id"), r.getString("authz_id"), r.getString("type"), r.getString("token"),
                Challenge.Status.valueOf(r.getString("status")), validated, r.getString("error"));
    }
}
