/**
 * The ZeroMQ client through which the RA, the CRL publisher and the CLI talk to the CA: per-task
 * timeouts, a fresh socket after every timeout ("lazy pirate"), bounded retries for idempotent tasks.
 */
package io.upki.pki.caclient;
