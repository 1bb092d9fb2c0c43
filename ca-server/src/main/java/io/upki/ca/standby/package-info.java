/**
 * The active/standby CA pair on a shared PostgreSQL store: the active CA holds a session-level advisory
 * lock on a connection of its own; the standby answers every request with a {@code STANDBY} refusal
 * until the lock is free, then opens the CA and takes over.
 */
package io.upki.ca.standby;
