package io.upki.ca.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema upgrades in place: a CA data directory from an older upki keeps its data and gains new tables. */
class SqliteDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void aVersion1DatabaseGainsTheIssuingTableAndKeepsItsRows() {
        Path file = dir.resolve("upki.db");
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO admins (canonical_key, dn, added_seq) VALUES ('cn=a', '/CN=a', 1)");
                    s.executeUpdate("DROP TABLE issuing");
                    s.executeUpdate("DROP TABLE clients");
                    s.executeUpdate("PRAGMA user_version=1");
                }
                return null;
            });
        }
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            assertThat(query(db, "PRAGMA user_version")).isEqualTo(3);
            assertThat(query(db, "SELECT COUNT(*) FROM issuing")).isZero();
            assertThat(query(db, "SELECT COUNT(*) FROM clients")).isZero();
            assertThat(query(db, "SELECT COUNT(*) FROM admins")).isEqualTo(1);
        }
    }

    @Test
    void aVersion2DatabaseGainsTheClientsTableAndKeepsItsRows() {
        Path file = dir.resolve("upki.db");
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO admins (canonical_key, dn, added_seq) VALUES ('cn=a', '/CN=a', 1)");
                    s.executeUpdate("DROP TABLE clients");
                    s.executeUpdate("PRAGMA user_version=2");
                }
                return null;
            });
        }
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            assertThat(query(db, "PRAGMA user_version")).isEqualTo(3);
            assertThat(query(db, "SELECT COUNT(*) FROM clients")).isZero();
            assertThat(query(db, "SELECT COUNT(*) FROM admins")).isEqualTo(1);
        }
    }

    @Test
    void aDatabaseFromANewerCaIsRefused() {
        Path file = dir.resolve("upki.db");
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("PRAGMA user_version=99");
                }
                return null;
            });
        }
        assertThatThrownBy(() -> new SqliteDatabase(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer than this CA");
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
