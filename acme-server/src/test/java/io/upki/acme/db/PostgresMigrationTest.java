package io.upki.acme.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.testkit.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Flyway on a real PostgreSQL server: a new database gets every version once (two replicas starting
 * together included), ACME's tables sit in their own schema beside whatever else the database holds, a
 * wrong password is refused with a reason, and the nonce table is unlogged.
 */
class PostgresMigrationTest {
    @Test
    void aNewDatabaseRunsEveryMigrationOnceEvenWhenTwoReplicasStartTogether() throws Exception {
        TestPostgres.Database pg = TestPostgres.shared().createDatabase("acme_mig");
        StoreLocation location = StoreLocation.parse(pg.storeUrl(), null, pg.password().toCharArray());
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<Database>> opening = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                opening.add(two.submit(location::open));
            }
            for (Future<Database> f : opening) {
                f.get().close();
            }
        } finally {
            two.shutdownNow();
        }
        try (Database db = location.open()) {
            assertThat(db.engine()).isEqualTo(Engine.POSTGRESQL);
            assertThat(db.shared()).isTrue();
            assertThat(db.all("SELECT version || ' ' || type FROM " + Database.HISTORY_TABLE
                    + " WHERE success AND version IS NOT NULL ORDER BY installed_rank", r -> r.getString(1))).containsExactly("1 SQL", "2 SQL");
            assertThat(db.one("SELECT relpersistence FROM pg_class WHERE relname = 'nonce'", r -> r.getString(1)))
                    .contains("u");
        }
    }

    @Test
    void aDatabaseHoldingOtherTablesGetsTheWholeSchemaInItsOwnSchema() throws Exception {
        TestPostgres.Database db = TestPostgres.shared().createDatabase("acme_shared");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            // what another store in the same database may hold, names included
            s.execute("CREATE TABLE certificate (serial TEXT PRIMARY KEY)");
            s.execute("INSERT INTO certificate VALUES ('ca-owned')");
        }
        try (Database acme = Database.open(db.jdbcUrl(), db.user(), db.password().toCharArray())) {
            assertThat(acme.all("SELECT version FROM " + Database.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY installed_rank",
                    r -> r.getString(1))).containsExactly("1", "2");
            assertThat(acme.all("SELECT serial FROM certificate", r -> r.getString(1))).isEmpty();
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                     "SELECT table_schema FROM information_schema.tables WHERE table_name = 'certificate' ORDER BY 1")) {
            List<String> schemas = new ArrayList<>();
            while (r.next()) {
                schemas.add(r.getString(1));
            }
            assertThat(schemas).containsExactly("acme", "public");
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithAReason() {
        TestPostgres.Database db = TestPostgres.shared().createDatabase("acme_auth");
        StoreLocation wrong = StoreLocation.parse(db.storeUrl(), null, "not-the-password".toCharArray());
        assertThatThrownBy(wrong::open).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot connect to the ACME database")
                .hasMessageContaining("password authentication failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
    }
}
