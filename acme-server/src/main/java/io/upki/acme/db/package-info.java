/**
 * The ACME database helper: where the state lives ({@link io.upki.acme.db.StoreLocation}: a SQLite file,
 * or a PostgreSQL database replicas share), the engine chosen by the JDBC URL, its Flyway migrations,
 * one connection under a lock (SQLite) or a HikariCP pool (PostgreSQL), and transactions; the
 * per-resource stores of {@code io.upki.acme.store} run on it.
 */
package io.upki.acme.db;
