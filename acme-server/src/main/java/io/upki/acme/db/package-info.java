/**
 * The ACME database helper: the engine chosen by the JDBC URL, its Flyway migrations, one connection
 * under a lock, and transactions; the per-resource stores of {@code io.upki.acme.store} run on it.
 */
package io.upki.acme.db;
