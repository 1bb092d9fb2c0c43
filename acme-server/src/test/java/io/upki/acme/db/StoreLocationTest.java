package io.upki.acme.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --acme-store}: the SQLite default, a PostgreSQL URL, and each malformed URL refused with its reason. */
class StoreLocationTest {
    private static final Path DEFAULT = Path.of("/var/lib/upki/ra/acme.db");

    @Test
    void nothingMeansTheSqliteFileOfTheDataDirectory() {
        for (String blank : new String[] {null, "", "  "}) {
            StoreLocation l = StoreLocation.parse(blank, DEFAULT, null);
            assertThat(l.shared()).isFalse();
            assertThat(l.jdbcUrl()).isEqualTo("jdbc:sqlite:" + DEFAULT);
        }
    }

    @Test
    void aPostgresqlUrlNamesUserHostPortAndDatabaseAndNeverPrintsThePassword() {
        StoreLocation l = StoreLocation.parse("postgresql://upki@db.internal:6543/acme", DEFAULT, "s3cret".toCharArray());
        assertThat(l.shared()).isTrue();
        assertThat(l.jdbcUrl()).startsWith("jdbc:postgresql://db.internal:6543/acme?");
        assertThat(l.toString()).isEqualTo("postgresql://upki@db.internal:6543/acme").doesNotContain("s3cret");
        assertThat(StoreLocation.parse("postgresql://upki@db.internal/acme", DEFAULT, null).port()).isEqualTo(5432);
    }

    @Test
    void malformedUrlsAreRefusedWithTheirReasonAndWithoutEchoingThem() {
        assertRefused("mysql://upki@db/acme", "expected postgresql://USER@HOST:PORT/DB");
        assertRefused("postgresql://upki:hunter2@db/acme", "must not carry a password");
        assertRefused("postgresql://db.internal/acme", "name the database user");
        assertRefused("postgresql://upki@db.internal/", "name the database");
        assertRefused("postgresql://upki@db.internal/acme?sslmode=disable", "no query or fragment");
        assertRefused("postgresql://upki@db.internal/ac me", "not a URL");
        assertRefused("postgresql://upki@/acme", "no host");
    }

    private static void assertRefused(String url, String reason) {
        assertThatThrownBy(() -> StoreLocation.parse(url, DEFAULT, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("acme-store: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
}
