package io.upki.ca.store;

import io.upki.pki.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link CrlRepository} with the numbers in the {@link Database}. On SQLite the latest body is a file
 * named by its number: a CRL of 100,000 entries is 5 MB, and through SQLite's WAL it would be written
 * twice (log and checkpoint) while holding the database lock that every {@code sign} and {@code revoke}
 * needs. On PostgreSQL the body stays in its row: the store is shared by an active and a standby CA on
 * different machines, no global lock is held, and a file would be on one machine only.
 */
public final class JdbcCrlRepository implements CrlRepository {
    private static final String SUFFIX = ".der";

    private final Database db;
    private final Path bodies;
    private final int generation;

    /** @param bodies the folder of the latest CRL's file (created when missing), or null to keep it in the table */
    public JdbcCrlRepository(Database db, Path bodies) {
        this(db, bodies, 1);
    }

    /**
     * The CRLs of one issuing-key generation (docs/KEYS.md, rollover). The numbers come from one sequence
     * shared by every generation, so each generation's numbers strictly grow (RFC 5280 section 5.2.3
     * allows gaps) and a CRL number names one CRL of this CA whatever its issuer.
     *
     * @param bodies this generation's own folder, or null to keep the body in the table
     */
    public JdbcCrlRepository(Database db, Path bodies, int generation) {
        this.db = db;
        this.bodies = bodies;
        this.generation = generation;
    }

    // CRL numbers may reach 20 octets (RFC 5280 section 5.2.3): ordered by (width, hex text), on the
    // crls_order index.
    private static final String LAST_NUMBER = "SELECT number FROM crls ORDER BY number_width DESC, number DESC LIMIT 1";
    // CAs before this layout kept the latest body in the table.
    private static final String LATEST_IN_TABLE = "SELECT number FROM crls WHERE length(der) > 0 AND generation = ? "
            + "ORDER BY number_width DESC, number DESC LIMIT 1";
    private static final String LAST_OWN_NUMBER = "SELECT number FROM crls WHERE generation = ? "
            + "ORDER BY number_width DESC, number DESC LIMIT 1";

    @Override
    public Optional<StoredCrl> latest() {
        if (bodies == null) {
            return db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(LATEST_IN_TABLE)) {
                    ps.setInt(1, generation);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? row(c, new BigInteger(rs.getString(1), 16), null) : Optional.<StoredCrl>empty();
                    }
                }
            });
        }
        try {
            BigInteger inFile = newestFile();
            BigInteger inTable = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(LATEST_IN_TABLE)) {
                    ps.setInt(1, generation);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? new BigInteger(rs.getString(1), 16) : null;
                    }
                }
            });
            if (inFile == null && inTable == null) {
                return Optional.empty();
            }
            boolean file = inTable == null || (inFile != null && inFile.compareTo(inTable) > 0);
            BigInteger number = file ? inFile : inTable;
            byte[] der = file ? Files.readAllBytes(bodyFile(number)) : null;
            return db.read(c -> row(c, number, der));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the latest CRL in " + bodies, e);
        }
    }

    private static Optional<StoredCrl> row(Connection c, BigInteger number, byte[] der) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT this_update, next_update, der FROM crls WHERE number = ?")) {
            ps.setString(1, number.toString(16));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty(); // a body without its number row was never acknowledged
                }
                return Optional.of(new StoredCrl(number, Instant.ofEpochMilli(rs.getLong(1)),
                        Instant.ofEpochMilli(rs.getLong(2)), der != null ? der : rs.getBytes(3)));
            }
        }
    }

    /** The highest number among the body files, or null. */
    private BigInteger newestFile() throws IOException {
        if (bodies == null || !Files.isDirectory(bodies)) {
            return null;
        }
        BigInteger newest = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(bodies, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    BigInteger n = new BigInteger(name.substring(0, name.length() - SUFFIX.length()), 16);
                    if (newest == null || n.compareTo(newest) > 0) {
                        newest = n;
                    }
                } catch (NumberFormatException e) {
                    // not one of ours (an editor's backup, a temporary file): ignored
                }
            }
        }
        return newest;
    }

    private Path bodyFile(BigInteger number) {
        return bodies.resolve(number.toString(16) + SUFFIX);
    }

    @Override
    public BigInteger lastNumber() {
        return db.read(JdbcCrlRepository::lastNumber);
    }

    @Override
    public BigInteger lastOwnNumber() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(LAST_OWN_NUMBER)) {
                ps.setInt(1, generation);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new BigInteger(rs.getString(1), 16) : BigInteger.ZERO;
                }
            }
        });
    }

    private static BigInteger lastNumber(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LAST_NUMBER); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new BigInteger(rs.getString(1), 16) : BigInteger.ZERO;
        }
    }

    @Override
    public void reserve(BigInteger number, Instant thisUpdate, Instant nextUpdate) {
        db.transaction(c -> {
            if (db.dialect() == Dialect.POSTGRESQL) {
                // Two sessions must not both read the same last number and insert out of order: numbers
                // only grow (RFC 5280 section 5.2.3). Readers are not blocked by this lock mode.
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE crls IN SHARE ROW EXCLUSIVE MODE");
                }
            }
            BigInteger last = lastNumber(c);
            if (number.compareTo(last) <= 0) {
                throw new IllegalStateException("CRL number " + number + " is not above " + last);
            }
            if (bodies != null) {
                // Bodies from the table era are dropped as soon as a newer CRL exists; the number rows stay.
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE crls SET der = ? WHERE length(der) > 0 AND generation = ?")) {
                    ps.setBytes(1, new byte[0]);
                    ps.setInt(2, generation);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO crls (number, number_width, this_update, next_update, der, generation) VALUES (?,?,?,?,?,?)")) {
                String hex = number.toString(16);
                ps.setString(1, hex);
                ps.setInt(2, hex.length());
                ps.setLong(3, thisUpdate.toEpochMilli());
                ps.setLong(4, nextUpdate.toEpochMilli());
                ps.setBytes(5, new byte[0]);
                ps.setInt(6, generation);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void saveBody(StoredCrl crl) {
        if (bodies == null) {
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE crls SET der = ? WHERE number = ?")) {
                    ps.setBytes(1, crl.der());
                    ps.setString(2, crl.number().toString(16));
                    ps.executeUpdate();
                }
                // Only the latest body is kept; older ones are emptied once a newer one is stored.
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE crls SET der = ? WHERE number <> ? AND length(der) > 0 AND generation = ?")) {
                    ps.setBytes(1, new byte[0]);
                    ps.setString(2, crl.number().toString(16));
                    ps.setInt(3, generation);
                    ps.executeUpdate();
                }
                return null;
            });
            return;
        }
        try {
            Files.createDirectories(bodies);
            AtomicFiles.writePublic(bodyFile(crl.number()), crl.der());
            try (DirectoryStream<Path> files = Files.newDirectoryStream(bodies, "*" + SUFFIX)) {
                for (Path f : files) {
                    if (!f.equals(bodyFile(crl.number()))) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store CRL " + crl.number() + " in " + bodies, e);
        }
    }
}
