/**
 * ACME state by resource: accounts, orders, authorizations, challenges and certificates, one store
 * class each over the shared {@code io.upki.acme.db.Database}; nonces in memory ({@link
 * io.upki.acme.store.NonceStore}); and the time-dependent status rules of {@link io.upki.acme.store.Lifecycle}.
 */
package io.upki.acme.store;
