package io.upki.ca.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema history under Flyway: a new store gets every version, a store made before Flyway (tables and
 * {@code PRAGMA user_version}, no history table) is baselined at its version and keeps its rows, and a
 * store from a newer CA is refused.
 */
class SqliteDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void aNewStoreHasTheWholeHistory() {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("upki.db"))) {
            assertThat(query(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1")).isEqualTo(4);
            assertThat(query(db, "SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history")).isEqualTo(4);
            assertThat(query(db, "PRAGMA user_version")).isEqualTo(4);
        }
    }

    @Test
    void aVersion1StoreFromBeforeFlywayIsBaselinedAndGainsTheLaterTables() {
        Path file = dir.resolve("upki.db");
        legacyStore(file, 1);
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            assertThat(query(db, "PRAGMA user_version")).isEqualTo(4);
            assertThat(query(db, "SELECT COUNT(*) FROM certificates WHERE generation <> 1")).isZero();
            assertThat(query(db, "SELECT COUNT(*) FROM issuing")).isZero();
            assertThat(query(db, "SELECT COUNT(*) FROM clients")).isZero();
            assertThat(query(db, "SELECT COUNT(*) FROM admins")).isEqualTo(1);
            assertThat(query(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE type = 'BASELINE' AND version = '1'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aVersion3StoreFromBeforeFlywayKeepsItsRowsAndGainsOnlyTheLaterScripts() {
        Path file = dir.resolve("upki.db");
        legacyStore(file, 3);
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            assertThat(query(db, "SELECT COUNT(*) FROM admins")).isEqualTo(1);
            assertThat(query(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE type = 'BASELINE' AND version = '3'"))
                    .isEqualTo(1);
            // Only V4 (the issuing-key generation columns) runs; the existing admin row is untouched.
            assertThat(query(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE type = 'SQL'")).isEqualTo(1);
            assertThat(query(db, "SELECT COUNT(*) FROM crls WHERE generation <> 1")).isZero();
        }
        try (SqliteDatabase db = new SqliteDatabase(file)) { // and again, now with its history
            assertThat(query(db, "SELECT COUNT(*) FROM admins")).isEqualTo(1);
        }
    }

    @Test
    void aStoreFromBeforeFlywayOfANewerCaIsRefused() {
        Path file = dir.resolve("upki.db");
        legacyStore(file, 3);
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DROP TABLE flyway_schema_history");
                    // Every legacy store predates V4 (the issuing-key generation columns).
                    s.executeUpdate("DROP INDEX certificates_generation");
                    s.executeUpdate("ALTER TABLE certificates DROP COLUMN generation");
                    s.executeUpdate("ALTER TABLE crls DROP COLUMN generation");
                    s.executeUpdate("PRAGMA user_version=99");
                }
                return null;
            });
        }
        assertThatThrownBy(() -> new SqliteDatabase(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer than this CA");
    }

    @Test
    void aStoreMigratedByANewerCaIsRefused() {
        Path file = dir.resolve("upki.db");
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                            + " checksum, installed_by, execution_time, success) VALUES (5, '5', 'future', 'SQL',"
                            + " 'V5__future.sql', 0, 'test', 1, 1)");
                }
                return null;
            });
        }
        assertThatThrownBy(() -> new SqliteDatabase(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema 5 is newer than this CA (4)");
    }

    /**
     * A store as a CA before Flyway left it at {@code version}: the tables of the scripts up to that
     * version (they are the old DDL), {@code user_version} set, no history table, one admin row.
     */
    private static void legacyStore(Path file, int version) {
        String[] scripts = {"V1__certificates_admins_crls_nodes.sql", "V2__issuing.sql", "V3__clients.sql"};
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            for (int v = 1; v <= version; v++) {
                String sql;
                try (java.io.InputStream in = SqliteDatabaseTest.class.getResourceAsStream("/db/ca/sqlite/" + scripts[v - 1])) {
                    sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!statement.isBlank()) {
                        s.executeUpdate(statement);
                    }
                }
            }
            s.executeUpdate("INSERT INTO admins (canonical_key, dn, added_seq) VALUES ('cn=a', '/CN=a', 1)");
            s.executeUpdate("PRAGMA user_version=" + version);
        } catch (java.sql.SQLException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long query(SqliteDatabase db, String sql) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
