package io.upki.ca.store;

import io.upki.pki.x509.RevocationReason;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** {@link CertificateRepository} on {@link Database} (SQLite or PostgreSQL); every lookup uses an index. */
public final class JdbcCertificateRepository implements CertificateRepository {
    private static final String COLUMNS = "serial, common_name, subject_dn, subject_key, profile, not_before, "
            + "not_after, issued_at, fingerprint, der, key_file, revoked_at, revoke_reason, generation";
    // "Newest not revoked first, else newest" (CA-PROTOCOL.md section 4).
    private static final String PREFERENCE = " ORDER BY (revoked_at IS NOT NULL), id DESC LIMIT 1";

    private final Database db;
    /** Reservations whose certificate is stored, to delete in the next durable transaction. */
    private final Queue<BigInteger> completed = new ConcurrentLinkedQueue<>();

    public JdbcCertificateRepository(Database db) {
        this.db = db;
    }

    /** Fixed-width hex: 159-bit serials fit in 40 digits. */
    static String serialKey(BigInteger serial) {
        String hex = serial.toString(16);
        return "0".repeat(Math.max(0, 40 - hex.length())) + hex;
    }

    @Override
    public void insert(CertificateRecord r) {
        db.read(c -> {
            insertRow(c, r);
            return null;
        });
    }

    @Override
    public void reserve(Reservation r) {
        List<BigInteger> done = new ArrayList<>();
        for (BigInteger serial; (serial = completed.poll()) != null; ) {
            done.add(serial);
        }
        try {
            reserve(r, done);
        } catch (RuntimeException e) {
            completed.addAll(done); // rolled back: delete them next time
            throw e;
        }
    }

    private void reserve(Reservation r, List<BigInteger> done) {
        db.transaction(c -> {
            for (BigInteger serial : done) {
                deleteReservation(c, serial);
            }
            String serial = serialKey(r.serial());
            try (PreparedStatement taken = c.prepareStatement("SELECT 1 FROM certificates WHERE serial = ?")) {
                taken.setString(1, serial);
                try (ResultSet rs = taken.executeQuery()) {
                    if (rs.next()) {
                        throw duplicate(r.serial());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO issuing (serial, tbs, digest, profile, key_file, issued_at) VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, serial);
                ps.setBytes(2, r.tbs());
                ps.setString(3, r.digest());
                ps.setString(4, r.profile());
                ps.setString(5, r.keyFile());
                ps.setLong(6, r.issuedAt().toEpochMilli());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (db.dialect().uniqueViolation(e, "issuing")) {
                    throw duplicate(r.serial());
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public void complete(CertificateRecord r) {
        // Durable already through the reservation: this commit need not wait for the disk. The
        // reservation goes with the next durable reserve, whose fsync covers this commit too (WAL
        // frames are only ever replayed in order), so it is never dropped before its certificate is safe.
        db.recoverableTransaction(c -> {
            insertRow(c, r);
            return null;
        });
        completed.add(r.serial());
    }


    @Override
    public void release(BigInteger serial) {
        db.read(c -> {
            deleteReservation(c, serial);
            return null;
        });
    }

    @Override
    public List<Reservation> reservations() {
        return db.read(c -> {
            List<Reservation> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT serial, tbs, digest, profile, key_file, issued_at FROM issuing ORDER BY serial");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Reservation(new BigInteger(rs.getString(1), 16), rs.getBytes(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
            return rows;
        });
    }

    private static void deleteReservation(Connection c, BigInteger serial) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM issuing WHERE serial = ?")) {
            ps.setString(1, serialKey(serial));
            ps.executeUpdate();
        }
    }

    private static DuplicateSerialException duplicate(BigInteger serial) {
        return new DuplicateSerialException("serial " + serial.toString(16) + " already issued");
    }

    private void insertRow(Connection c, CertificateRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificates (" + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, serialKey(r.serial()));
            ps.setString(2, r.commonName());
            ps.setString(3, r.subjectDn());
            ps.setString(4, r.subjectKey());
            ps.setString(5, r.profile());
            ps.setLong(6, r.notBefore().toEpochMilli());
            ps.setLong(7, r.notAfter().toEpochMilli());
            ps.setLong(8, r.issuedAt().toEpochMilli());
            ps.setString(9, r.fingerprint());
            ps.setBytes(10, r.der());
            ps.setString(11, r.keyFile());
            setInstant(ps, 12, r.revokedAt());
            if (r.revocationReason() == null) {
                ps.setNull(13, Types.INTEGER);
            } else {
                ps.setInt(13, r.revocationReason().code());
            }
            ps.setInt(14, r.generation());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (db.dialect().uniqueViolation(e, "certificates")) {
                throw duplicate(r.serial());
            }
            throw e;
        }
    }

    @Override
    public Optional<CertificateRecord> findBySerial(BigInteger serial) {
        return one("SELECT " + COLUMNS + " FROM certificates WHERE serial = ?", serialKey(serial));
    }

    @Override
    public Optional<CertificateRecord> findByCommonName(String commonName) {
        return one("SELECT " + COLUMNS + " FROM certificates WHERE common_name = ?" + PREFERENCE, commonName);
    }

    @Override
    public Optional<CertificateRecord> findBySubjectKey(String subjectKey) {
        return one("SELECT " + COLUMNS + " FROM certificates WHERE subject_key = ?" + PREFERENCE, subjectKey);
    }

    @Override
    public boolean revoke(BigInteger serial, RevocationReason reason, Instant at) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE serial = ? AND revoked_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setInt(2, reason.code());
                ps.setString(3, serialKey(serial));
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean unrevoke(BigInteger serial) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE certificates SET revoked_at = NULL, revoke_reason = NULL WHERE serial = ? AND revoked_at IS NOT NULL")) {
                ps.setString(1, serialKey(serial));
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<RevokedEntry> revokedEntries() {
        return revokedEntries(0);
    }

    @Override
    public List<RevokedEntry> revokedEntries(int generation) {
        return db.read(c -> {
            List<RevokedEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT serial, revoked_at, revoke_reason FROM certificates WHERE revoked_at IS NOT NULL"
                            + (generation > 0 ? " AND generation = " + generation : ""));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new RevokedEntry(new BigInteger(rs.getString(1), 16),
                            Instant.ofEpochMilli(rs.getLong(2)),
                            RevocationReason.fromCode(rs.getInt(3)).orElse(RevocationReason.UNSPECIFIED)));
                }
            }
            return entries;
        });
    }

    @Override
    public List<CertificateRecord> list(int offset, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM certificates ORDER BY id LIMIT ? OFFSET ?")) {
                ps.setInt(1, limit);
                ps.setInt(2, offset);
                return all(ps);
            }
        });
    }

    @Override
    public Optional<Instant> lastNotAfter(int generation) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT max(not_after) FROM certificates WHERE generation = ?")) {
                ps.setInt(1, generation);
                try (ResultSet rs = ps.executeQuery()) {
                    long v = rs.next() ? rs.getLong(1) : 0L;
                    return v == 0L ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(v));
                }
            }
        });
    }

    /** Certificates not revoked whose notAfter falls in [from, to): for the expiry metrics, a count only. */
    public long countExpiring(java.time.Instant from, java.time.Instant to) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM certificates WHERE revoked_at IS NULL AND not_after >= ? AND not_after < ?")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public long count() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM certificates");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<CertificateRecord> search(CertificateSearch search, int offset, int limit) {
        SearchClause where = SearchClause.of(search);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM certificates" + where.sql() + " ORDER BY id LIMIT ? OFFSET ?")) {
                where.bind(ps, limit, offset);
                return all(ps);
            }
        });
    }

    @Override
    public long count(CertificateSearch search) {
        SearchClause where = SearchClause.of(search);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM certificates" + where.sql())) {
                where.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    private Optional<CertificateRecord> one(String sql, String arg) {
        if (!db.dialect().storable(arg)) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                List<CertificateRecord> rows = all(ps);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            }
        });
    }

    private static List<CertificateRecord> all(PreparedStatement ps) throws SQLException {
        List<CertificateRecord> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long revokedAt = rs.getLong(12);
                boolean revoked = !rs.wasNull();
                rows.add(new CertificateRecord(
                        new BigInteger(rs.getString(1), 16),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        Instant.ofEpochMilli(rs.getLong(6)),
                        Instant.ofEpochMilli(rs.getLong(7)),
                        Instant.ofEpochMilli(rs.getLong(8)),
                        rs.getString(9),
                        rs.getBytes(10),
                        rs.getString(11),
                        revoked ? Instant.ofEpochMilli(revokedAt) : null,
                        revoked ? RevocationReason.fromCode(rs.getInt(13)).orElse(RevocationReason.UNSPECIFIED) : null,
                        rs.getInt(14)));
            }
        }
        return rows;
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }
}
