/** What the stores of the CA and of the ACME server share: how a PostgreSQL database is named. */
package io.upki.pki.store;
