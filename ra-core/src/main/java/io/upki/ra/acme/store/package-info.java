/**
 * ACME state (accounts, orders, authorizations, challenges, certificates) behind one
 * interface organised by resource, with a SQLite implementation in the ra-core's data directory.
 */
package io.upki.ra.acme.store;
