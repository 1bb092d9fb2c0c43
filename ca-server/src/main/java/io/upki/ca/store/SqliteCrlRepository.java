package io.upki.ca.store;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link CrlRepository} on {@link SqliteDatabase}. Only the latest CRL's bytes are kept; the number
 * row of every CRL stays so that the sequence can never go back, even after a restart.
 */
public final class SqliteCrlRepository implements CrlRepository {
    private final SqliteDatabase db;

    public SqliteCrlRepository(SqliteDatabase db) {
        this.db = db;
    }

    // CRL numbers may reach 20 octets (RFC 5280 section 5.2.3): ordered by (width, hex text), on the
    // crls_order index.
    private static final String LATEST = "SELECT number, this_update, next_update, der FROM crls "
            + "ORDER BY number_width DESC, number DESC LIMIT 1";
    private static final String LAST_NUMBER = "SELECT number FROM crls ORDER BY number_width DESC, number DESC LIMIT 1";

    @Override
    public Optional<StoredCrl> latest() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(LATEST); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] der = rs.getBytes(4);
                return Optional.of(new StoredCrl(new BigInteger(rs.getString(1), 16),
                        Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3)), der));
            }
        });
    }

    @Override
    public BigInteger lastNumber() {
        return db.read(SqliteCrlRepository::lastNumber);
    }

    private static BigInteger lastNumber(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(LAST_NUMBER); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new BigInteger(rs.getString(1), 16) : BigInteger.ZERO;
        }
    }

    @Override
    public void save(StoredCrl crl) {
        db.transaction(c -> {
            BigInteger last = lastNumber(c);
            if (crl.number().compareTo(last) <= 0) {
                throw new IllegalStateException("CRL number " + crl.number() + " is not above " + last);
            }
            // The superseded CRL's body is dropped (only one CRL keeps its bytes); its number row stays.
            try (PreparedStatement ps = c.prepareStatement("UPDATE crls SET der = x'' WHERE number = ?")) {
                ps.setString(1, last.toString(16));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO crls (number, number_width, this_update, next_update, der) VALUES (?,?,?,?,?)")) {
                String hex = crl.number().toString(16);
                ps.setString(1, hex);
                ps.setInt(2, hex.length());
                ps.setLong(3, crl.thisUpdate().toEpochMilli());
                ps.setLong(4, crl.nextUpdate().toEpochMilli());
                ps.setBytes(5, crl.der());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
