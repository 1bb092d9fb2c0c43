/**
 * The OCSP responder (RFC 6960, with the RFC 5019 profile for caching): its delegated signer, the
 * status of a serial from the published CRL and the CA's store, and the signed, cached responses.
 * It depends on no other package of the publisher; {@code http} serves it and the root wires it.
 */
package io.upki.publisher.ocsp;
