package io.upki.ca.store;

import java.util.Arrays;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The CA store's schema history, kept by Flyway in {@code flyway_schema_history} with one set of
 * scripts per engine ({@code db/ca/sqlite}, {@code db/ca/postgresql}, same version numbers).
 *
 * <p>SQLite stores made before Flyway carry their version in {@code PRAGMA user_version} (1 to 3) and
 * have no history table: they are baselined at that version, so only the later scripts run. A store
 * whose schema is newer than this CA's scripts is refused rather than used half-understood.
 */
final class Migrations {
    /** The newest schema version this CA knows, on both engines. */
    static final int LATEST = 4;

    private Migrations() {
    }

    /**
     * Brings the schema of {@code dataSource} up to {@link #LATEST}.
     *
     * @param legacyVersion the pre-Flyway version of an existing SQLite store (0 when new or PostgreSQL)
     * @throws StoreException when the schema is newer than this CA or a script fails
     */
    static void apply(DataSource dataSource, Dialect dialect, int legacyVersion) {
        if (legacyVersion > LATEST) {
            throw newer(legacyVersion);
        }
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/ca/" + dialect.name().toLowerCase(java.util.Locale.ROOT))
                // A store from before Flyway: its tables up to legacyVersion exist already.
                .baselineOnMigrate(legacyVersion > 0)
                .baselineVersion(String.valueOf(Math.max(1, legacyVersion)))
                .baselineDescription("store made before Flyway (user_version " + legacyVersion + ")")
                // Scripts from a newer CA must stop this one, not be ignored (Flyway's default ignores them).
                .ignoreMigrationPatterns(new String[0])
                .load();
        try {
            MigrationInfo[] applied = flyway.info().applied();
            MigrationInfo future = Arrays.stream(applied)
                    .filter(i -> i.getState() == MigrationState.FUTURE_SUCCESS || i.getState() == MigrationState.FUTURE_FAILED)
                    .findFirst().orElse(null);
            if (future != null) {
                throw newer(Integer.parseInt(future.getVersion().getVersion().split("\\.")[0]));
            }
            flyway.migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot bring the CA store's schema to version " + LATEST + ": " + e.getMessage(), e);
        }
    }

    private static StoreException newer(int version) {
        return new StoreException("database schema " + version + " is newer than this CA (" + LATEST + ")", null);
    }
}
