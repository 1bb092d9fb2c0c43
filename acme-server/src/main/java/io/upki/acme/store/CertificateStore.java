package io.upki.acme.store;

import io.upki.acme.db.Database;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Certificates issued through ACME (RFC 8555 section 7.4.2), found by id or by serial for revocation. */
public final class CertificateStore {
    private final Database db;

    CertificateStore(Database db) {
        this.db = db;
    }

    public void insert(IssuedCertificate c) {
        db.update("INSERT INTO certificate (id, order_id, account_id, serial, chain, not_before, not_after, revoked_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", c.id(), c.orderId(), c.accountId(), c.serial().toString(16),
                c.chainPem(), c.notBefore().toEpochMilli(), c.notAfter().toEpochMilli(), Columns.millis(c.revokedAt()));
    }

    public Optional<IssuedCertificate> get(String id) {
        return db.one("SELECT * FROM certificate WHERE id = ?", CertificateStore::read, id);
    }

    public Optional<IssuedCertificate> bySerial(BigInteger serial) {
        return db.one("SELECT * FROM certificate WHERE serial = ?", CertificateStore::read, serial.toString(16));
    }

    /** Records the revocation time once; a second revocation keeps the first time. */
    public void markRevoked(String id, Instant at) {
        db.update("UPDATE certificate SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at.toEpochMilli(), id);
    }

    private static IssuedCertificate read(ResultSet r) throws SQLException {
        Instant revokedAt = Columns.instant(r.getLong("revoked_at"), r.wasNull());
        return new IssuedCertificate(r.getString("id"), r.getString("order_id"), r.getString("account_id"),
                new BigInteger(r.getString("serial"), 16), r.getString("chain"), Instant.ofEpochMilli(r.getLong("not_before")),
                Instant.ofEpochMilli(r.getLong("not_after")), revokedAt);
    }
}
