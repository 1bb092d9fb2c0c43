package io.upki.ra.acme.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ACME store in SQLite ({@code acme.db} in the RA's data directory, WAL journal): one connection
 * used under this object's lock, so every method is atomic and {@link #transaction} can group them.
 * {@code synchronous=NORMAL}: a committed change survives a process crash; the CA keeps its own
 * durable record of every certificate it signs.
 */
public final class SqliteAcmeStore implements AcmeStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Identifier>> IDENTIFIERS = new TypeReference<>() { };
    private static final String[] SCHEMA = {
        "DROP TABLE IF EXISTS nonce", // nonces of older versions: they are kept in memory now (see Nonces)
        "CREATE TABLE IF NOT EXISTS account (id TEXT PRIMARY KEY, thumbprint TEXT NOT NULL UNIQUE, jwk TEXT NOT NULL,"
            + " status TEXT NOT NULL, contact TEXT NOT NULL, created INTEGER NOT NULL, eab_kid TEXT UNIQUE)",
        "CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, status TEXT NOT NULL,"
            + " expires INTEGER NOT NULL, identifiers TEXT NOT NULL, authz_ids TEXT NOT NULL, error TEXT,"
            + " certificate_id TEXT, replaces TEXT)",
        "CREATE INDEX IF NOT EXISTS orders_account ON orders (account_id)",
        "CREATE TABLE IF NOT EXISTS authz (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, order_id TEXT NOT NULL,"
            + " type TEXT NOT NULL, value TEXT NOT NULL, wildcard INTEGER NOT NULL, status TEXT NOT NULL,"
            + " expires INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS challenge (id TEXT PRIMARY KEY, authz_id TEXT NOT NULL, type TEXT NOT NULL,"
            + " token TEXT NOT NULL, status TEXT NOT NULL, validated INTEGER, error TEXT)",
        "CREATE INDEX IF NOT EXISTS challenge_authz ON challenge (authz_id)",
        "CREATE TABLE IF NOT EXISTS certificate (id TEXT PRIMARY KEY, order_id TEXT NOT NULL, account_id TEXT NOT NULL,"
            + " serial TEXT NOT NULL UNIQUE, chain TEXT NOT NULL, not_before INTEGER NOT NULL, not_after INTEGER NOT NULL,"
            + " revoked_at INTEGER)",
    };

    private final Connection db;
    /** Statements prepared once per SQL text: every request runs a handful of the same few. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private SqliteAcmeStore(Connection db) {
        this.db = db;
    }

    /** Opens (creating when needed) {@code file}. */
    public static SqliteAcmeStore open(Path file) {
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
            }
            return new SqliteAcmeStore(db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the ACME store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void insertAccount(Account a) {
        update("INSERT INTO account (id, thumbprint, jwk, status, contact, created, eab_kid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                a.id(), a.thumbprint(), a.jwk(), a.status().name(), json(a.contact()), a.created().toEpochMilli(), a.eabKid());
    }

    @Override
    public synchronized Optional<Account> account(String id) {
        return one("SELECT * FROM account WHERE id = ?", this::account, id);
    }

    @Override
    public synchronized Optional<Account> accountByThumbprint(String thumbprint) {
        return one("SELECT * FROM account WHERE thumbprint = ?", this::account, thumbprint);
    }

    @Override
    public synchronized Optional<Account> accountByEabKid(String kid) {
        return one("SELECT * FROM account WHERE eab_kid = ?", this::account, kid);
    }

    @Override
    public synchronized void updateAccount(Account a) {
        update("UPDATE account SET thumbprint = ?, jwk = ?, status = ?, contact = ? WHERE id = ?",
                a.thumbprint(), a.jwk(), a.status().name(), json(a.contact()), a.id());
    }

    @Override
    public synchronized void insertOrder(Order o, List<Authorization> authorizations, List<Challenge> challenges) {
        transaction(() -> {
            update("INSERT INTO orders (id, account_id, status, expires, identifiers, authz_ids, error, certificate_id, replaces)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", o.id(), o.accountId(), o.status().name(), o.expires().toEpochMilli(),
                    json(o.identifiers()), json(o.authorizationIds()), o.error(), o.certificateId(), o.replaces());
            for (Authorization a : authorizations) {
                update("INSERT INTO authz (id, account_id, order_id, type, value, wildcard, status, expires)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", a.id(), a.accountId(), a.orderId(), a.identifier().type(),
                        a.identifier().value(), a.wildcard() ? 1 : 0, a.status().name(), a.expires().toEpochMilli());
            }
            for (Challenge c : challenges) {
                update("INSERT INTO challenge (id, authz_id, type, token, status, validated, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        c.id(), c.authorizationId(), c.type(), c.token(), c.status().name(), millis(c.validated()), c.error());
            }
        });
    }

    @Override
    public synchronized Optional<Order> order(String id) {
        return one("SELECT * FROM orders WHERE id = ?", this::order, id);
    }

    @Override
    public synchronized List<String> orderIds(String accountId) {
        return all("SELECT id FROM orders WHERE account_id = ? ORDER BY rowid", r -> r.getString(1), accountId);
    }

    @Override
    public synchronized java.util.Map<Order.Status, Long> orderCounts() {
        java.util.Map<Order.Status, Long> counts = new java.util.EnumMap<>(Order.Status.class);
        for (String[] row : all("SELECT status, count(*) FROM orders GROUP BY status",
                r -> new String[] {r.getString(1), Long.toString(r.getLong(2))})) {
            counts.put(Order.Status.valueOf(row[0]), Long.parseLong(row[1]));
        }
        return counts;
    }

    @Override
    public synchronized void updateOrder(Order o) {
        update("UPDATE orders SET status = ?, error = ?, certificate_id = ? WHERE id = ?",
                o.status().name(), o.error(), o.certificateId(), o.id());
    }

    @Override
    public synchronized boolean transitionOrder(String id, Order.Status from, Order.Status to) {
        return update("UPDATE orders SET status = ? WHERE id = ? AND status = ?", to.name(), id, from.name()) == 1;
    }

    @Override
    public synchronized Optional<Authorization> authorization(String id) {
        return one("SELECT * FROM authz WHERE id = ?", r -> new Authorization(r.getString("id"), r.getString("account_id"),
                r.getString("order_id"), new Identifier(r.getString("type"), r.getString("value")), r.getInt("wildcard") == 1,
                Authorization.Status.valueOf(r.getString("status")), Instant.ofEpochMilli(r.getLong("expires"))), id);
    }

    @Override
    public synchronized void updateAuthorization(Authorization a) {
        update("UPDATE authz SET status = ? WHERE id = ?", a.status().name(), a.id());
    }

    @Override
    public synchronized Optional<Challenge> challenge(String id) {
        return one("SELECT * FROM challenge WHERE id = ?", this::challenge, id);
    }

    @Override
    public synchronized List<Challenge> challenges(String authorizationId) {
        return all("SELECT * FROM challenge WHERE authz_id = ? ORDER BY rowid", this::challenge, authorizationId);
    }

    @Override
    public synchronized void updateChallenge(Challenge c) {
        update("UPDATE challenge SET status = ?, validated = ?, error = ? WHERE id = ?",
                c.status().name(), millis(c.validated()), c.error(), c.id());
    }

    @Override
    public synchronized boolean startChallenge(String id) {
        return update("UPDATE challenge SET status = 'PROCESSING' WHERE id = ? AND status = 'PENDING'", id) == 1;
    }

    @Override
    public synchronized void insertCertificate(IssuedCertificate c) {
        update("INSERT INTO certificate (id, order_id, account_id, serial, chain, not_before, not_after, revoked_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", c.id(), c.orderId(), c.accountId(), c.serial().toString(16),
                c.chainPem(), c.notBefore().toEpochMilli(), c.notAfter().toEpochMilli(), millis(c.revokedAt()));
    }

    @Override
    public synchronized Optional<IssuedCertificate> certificate(String id) {
        return one("SELECT * FROM certificate WHERE id = ?", this::certificate, id);
    }

    @Override
    public synchronized Optional<IssuedCertificate> certificateBySerial(BigInteger serial) {
        return one("SELECT * FROM certificate WHERE serial = ?", this::certificate, serial.toString(16));
    }

    @Override
    public synchronized void markRevoked(String id, Instant at) {
        update("UPDATE certificate SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at.toEpochMilli(), id);
    }

    @Override
    public synchronized void transaction(Runnable work) {
        try {
            boolean outer = db.getAutoCommit();
            if (!outer) {
                work.run(); // already inside a transaction of this store
                return;
            }
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ACME store: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            for (PreparedStatement s : statements.values()) {
                s.close();
            }
            db.close();
        } catch (SQLException ignored) {
            // closing
        }
    }

    private Account account(ResultSet r) throws SQLException {
        return new Account(r.getString("id"), r.getString("thumbprint"), r.getString("jwk"),
                Account.Status.valueOf(r.getString("status")), read(r.getString("contact"), STRINGS),
                Instant.ofEpochMilli(r.getLong("created")), r.getString("eab_kid"));
    }

    private Order order(ResultSet r) throws SQLException {
        return new Order(r.getString("id"), r.getString("account_id"), Order.Status.valueOf(r.getString("status")),
                Instant.ofEpochMilli(r.getLong("expires")), read(r.getString("identifiers"), IDENTIFIERS),
                read(r.getString("authz_ids"), STRINGS), r.getString("error"), r.getString("certificate_id"),
                r.getString("replaces"));
    }

    private Challenge challenge(ResultSet r) throws SQLException {
        long validated = r.getLong("validated");
        return new Challenge(r.getString("id"), r.getString("authz_id"), r.getString("type"), r.getString("token"),
                Challenge.Status.valueOf(r.getString("status")), r.wasNull() ? null : Instant.ofEpochMilli(validated),
                r.getString("error"));
    }

    private IssuedCertificate certificate(ResultSet r) throws SQLException {
        long revoked = r.getLong("revoked_at");
        Instant revokedAt = r.wasNull() ? null : Instant.ofEpochMilli(revoked);
        return new IssuedCertificate(r.getString("id"), r.getString("order_id"), r.getString("account_id"),
                new BigInteger(r.getString("serial"), 16), r.getString("chain"), Instant.ofEpochMilli(r.getLong("not_before")),
                Instant.ofEpochMilli(r.getLong("not_after")), revokedAt);
    }

    /** Reads one row into a value. */
    private interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private <T> Optional<T> one(String sql, RowReader<T> reader, Object... args) {
        List<T> rows = all(sql, reader, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> List<T> all(String sql, RowReader<T> reader, Object... args) {
        try (ResultSet r = prepare(sql, args).executeQuery()) {
            List<T> out = new ArrayList<>();
            while (r.next()) {
                out.add(reader.read(r));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("ACME store: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        try {
            return prepare(sql, args).executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("ACME store: " + e.getMessage(), e);
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null) {
            s = db.prepareStatement(sql);
            statements.put(sql, s);
        }
        s.clearParameters();
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ACME store: unreadable column: " + e.getOriginalMessage());
        }
    }
}
