/** A real PostgreSQL server for tests, started from the installed binaries in a temporary folder. */
package io.upki.testkit.postgres;
