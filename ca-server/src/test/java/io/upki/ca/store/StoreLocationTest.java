package io.upki.ca.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --store}: SQLite by default, a PostgreSQL URL without a password, every other form refused. */
class StoreLocationTest {
    private static final Path DB = Path.of("/data/upki.db");

    @Test
    void nothingMeansTheSqliteFileOfTheDataDirectory() {
        assertThat(StoreLocation.parse(null, DB)).isEqualTo(StoreLocation.sqlite(DB));
        assertThat(StoreLocation.parse("  ", DB).dialect()).isEqualTo(Dialect.SQLITE);
    }

    @Test
    void aPostgresqlUrlNamesUserHostPortAndDatabase() {
        StoreLocation l = StoreLocation.parse("postgresql://upki@db.internal:6543/ca", DB);
        assertThat(l.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(l.shared()).isTrue();
        assertThat(l.jdbcUrl()).startsWith("jdbc:postgresql://db.internal:6543/ca?");
        assertThat(StoreLocation.parse("postgresql://upki@db/ca", DB).port()).isEqualTo(5432);
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://upki:s3cret@db:5432/ca", DB))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PGPASSWORD")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void otherFormsAreRefused() {
        assertThatThrownBy(() -> StoreLocation.parse("mysql://u@h/db", DB)).hasMessageStartingWith("--store:");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://db:5432/ca", DB)).hasMessageContaining("user");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://u@db:5432/", DB)).hasMessageContaining("plain names");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://u@db/ca?sslmode=disable", DB))
                .hasMessageContaining("no query");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://u@db/c;a", DB)).hasMessageContaining("plain names");
    }
}
