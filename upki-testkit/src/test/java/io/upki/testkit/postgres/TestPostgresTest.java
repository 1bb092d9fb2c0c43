package io.upki.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fixture starts a real server, makes separate databases and stops it. */
class TestPostgresTest {
    @Test
    void startsCreatesDatabasesAndStops() throws Exception {
        TestPostgres.Database a;
        try (TestPostgres pg = TestPostgres.start()) {
            a = pg.createDatabase("Fixture-Test");
            TestPostgres.Database b = pg.createDatabase("fixture");
            assertThat(a.name()).startsWith("fixture_test_").isNotEqualTo(b.name());
            assertThat(a.storeUrl()).isEqualTo("postgresql://upki@127.0.0.1:" + pg.port() + "/" + a.name());
            assertThat(pg.psql("SELECT datname FROM pg_database WHERE datname LIKE 'fixture%' ORDER BY 1"))
                    .contains(a.name(), b.name());
            assertThat(pg.psql("SHOW server_version")).startsWith("1");
        }
    }
}
