package io.upki.acme.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The ACME stores' one database: migrated by Flyway when opened, then one connection used under this
 * object's lock, so every statement is atomic and {@link #transaction} groups several into one commit.
 * Each statement outside a transaction commits on its own (auto-commit), before its caller answers.
 */
public final class Database implements AutoCloseable {
    /** The history table: its own name, so ACME can share a server database with other schemas one day. */
    static final String HISTORY_TABLE = "acme_schema_history";
    private final Engine engine;
    private final Connection connection;
    /** Statements prepared once per SQL text: every request runs a handful of the same few. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private Database(Engine engine, Connection connection) {
        this.engine = engine;
        this.connection = connection;
    }

    /** Opens (creating when needed) the SQLite database {@code file}. */
    public static Database sqlite(Path file) {
        return open("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /**
     * Brings the database at {@code jdbcUrl} to the newest schema and opens it. A database created before
     * the migrations existed (tables, no history) is taken as version 1 (a Flyway baseline: the schema of
     * V1 is exactly what those versions created), and the later migrations run on it.
     *
     * @throws IllegalStateException when the database cannot be opened or migrated
     */
    public static Database open(String jdbcUrl) {
        Engine engine = Engine.of(jdbcUrl);
        try {
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(jdbcUrl, null, null)
                    .locations(engine.migrations())
                    .table(HISTORY_TABLE)
                    .baselineOnMigrate(true)
                    .baselineVersion("1")
                    .baselineDescription("ACME schema created before Flyway")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new IllegalStateException("cannot migrate the ACME database: " + e.getMessage(), e);
        }
        try {
            Connection c = DriverManager.getConnection(jdbcUrl);
            try (Statement s = c.createStatement()) {
                for (String sql : engine.sessionStatements()) {
                    s.execute(sql);
                }
            }
            return new Database(engine, c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the ACME database: " + e.getMessage(), e);
        }
    }

    public Engine engine() {
        return engine;
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    /** The first row of a query, if any. */
    public synchronized <T> Optional<T> one(String sql, RowReader<T> reader, Object... args) {
        List<T> rows = all(sql, reader, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public synchronized <T> List<T> all(String sql, RowReader<T> reader, Object... args) {
        try (ResultSet r = prepare(sql, args).executeQuery()) {
            List<T> out = new ArrayList<>();
            while (r.next()) {
                out.add(reader.read(r));
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
    public synchronized int update(String sql, Object... args) {
        try {
            return prepare(sql, args).executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs {@code work} as one atomic change; inside another transaction it joins that one. */
    public synchronized void transaction(Runnable work) {
        try {
            if (!connection.getAutoCommit()) {
                work.run(); // already inside a transaction of this database
                return;
            }
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            for (PreparedStatement s : statements.values()) {
                s.close();
            }
            connection.close();
        } catch (SQLException ignored) {
            // closing
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            statements.put(sql, s);
        }
        s.clearParameters();
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("ACME store: " + e.getMessage(), e);
    }
}
