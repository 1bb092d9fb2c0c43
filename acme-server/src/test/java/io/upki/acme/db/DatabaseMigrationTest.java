package io.upki.acme.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway migrations: a new database gets every version; a database written by ra-core before the
 * migrations existed opens with its rows (baseline at version 1, then the later versions); reopening
 * changes nothing; an engine this server does not know is refused.
 */
class DatabaseMigrationTest {
    /**
     * The statements ra-core ran on every start in its first ACME version (commit 31ad61c), nonce table
     * included; later versions only dropped that table.
     */
    static final String[] OLD_LAYOUT = {
        "CREATE TABLE IF NOT EXISTS nonce (value TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID",
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
        "PRAGMA journal_mode=WAL",
        "INSERT INTO account VALUES ('acct', 'thumb', '{}', 'VALID', '[\"mailto:a@b.example\"]', 1764244800000, NULL)",
        "INSERT INTO orders VALUES ('o', 'acct', 'VALID', 1764248400000,"
            + " '[{\"type\":\"dns\",\"value\":\"a.example.internal\"}]', '[\"z\"]', NULL, 'cert', NULL)",
        "INSERT INTO certificate VALUES ('cert', 'o', 'acct', 'a', 'PEM', 1764244800000, 1764248400000, NULL)",
        "INSERT INTO nonce VALUES ('n', 1764244800000)",
    };

    @TempDir
    Path dir;

    @Test
    void aDatabaseOfTheOldLayoutOpensWithItsRowsAndIsMigrated() throws SQLException {
        Path file = dir.resolve("acme.db");
        try (Connection c = DriverManager.getConnection(url(file)); Statement s = c.createStatement()) {
            for (String sql : OLD_LAYOUT) {
                s.execute(sql);
            }
        }
        try (Database db = Database.sqlite(file)) {
            assertThat(db.one("SELECT contact FROM account WHERE id = ?", r -> r.getString(1), "acct"))
                    .contains("[\"mailto:a@b.example\"]");
            assertThat(db.one("SELECT certificate_id FROM orders WHERE id = ?", r -> r.getString(1), "o")).contains("cert");
            db.update("INSERT INTO challenge VALUES ('c', 'z', 'http-01', 'tok', 'PENDING', NULL, NULL)");
        }
        assertThat(tables(file)).doesNotContain("nonce").contains("account", "orders", "authz", "challenge", "certificate");
        assertThat(history(file)).containsExactly("1 BASELINE", "2 SQL");
    }

    @Test
    void aNewDatabaseRunsEveryMigrationOnceAndReopensUnchanged() throws SQLException {
        Path file = dir.resolve("acme.db");
        try (Database db = Database.sqlite(file)) {
            db.update("INSERT INTO account VALUES ('acct', 'thumb', '{}', 'VALID', '[]', 0, NULL)");
        }
        try (Database db = Database.sqlite(file)) {
            assertThat(db.one("SELECT id FROM account", r -> r.getString(1))).contains("acct");
        }
        assertThat(history(file)).containsExactly("1 SQL", "2 SQL");
        try (Connection c = DriverManager.getConnection(url(file)); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void anUnknownEngineIsRefused() {
        assertThatThrownBy(() -> Database.open("jdbc:h2:mem:acme"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported JDBC URL");
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    private static List<String> tables(Path file) throws SQLException {
        return query(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    }

    private static List<String> history(Path file) throws SQLException {
        return query(file, "SELECT version || ' ' || type FROM " + Database.HISTORY_TABLE + " ORDER BY installed_rank");
    }

    private static List<String> query(Path file, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url(file)); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
