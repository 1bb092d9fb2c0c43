/**
 * How the RA, ACME server, CRL publisher, sidecar and CLI talk to the CA: {@link
 * io.upki.pki.caclient.CertificateAuthorityClient} lists every task with its typed request and answer,
 * implemented once by {@link io.upki.pki.caclient.TypedCaClient} over the {@link
 * io.upki.pki.caclient.CaClient} transport (ZeroMQ: per-task timeouts, a fresh socket after every
 * timeout ("lazy pirate"), bounded retries for idempotent tasks).
 */
package io.upki.pki.caclient;
