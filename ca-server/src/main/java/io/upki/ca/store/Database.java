package io.upki.ca.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The CA's relational store behind the repositories: SQLite embedded (the default) or a PostgreSQL
 * server shared by an active and a standby CA. Either way a method returns only once its write is
 * committed where a crash of this process cannot undo it.
 */
public interface Database extends AutoCloseable {

    /** Work done with a connection; may throw SQLException. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    Dialect dialect();

    /** Runs a read, or a single-statement write committed durably on its own. */
    <T> T read(Work<T> work);

    /** Runs work in one transaction: all of it is durable on return, or none of it happened. */
    default <T> T transaction(Work<T> work) {
        return transaction(work, true);
    }

    /**
     * Runs work in one transaction whose commit survives a crash of this process but may wait for the
     * disk later (a crash of the database server or the machine may undo it). Only for changes that
     * something already durable can redo.
     */
    default <T> T recoverableTransaction(Work<T> work) {
        return transaction(work, false);
    }

    /**
     * Runs work in one transaction, joining the caller's when there is one: {@link #transaction} when
     * {@code durable}, else {@link #recoverableTransaction}.
     */
    <T> T transaction(Work<T> work, boolean durable);

    /** Proves the store is open and takes writes (readiness); throws StoreException otherwise. */
    void checkWritable();

    /** Where the store is, for logs (never a password). */
    String describe();

    @Override
    void close();
}
