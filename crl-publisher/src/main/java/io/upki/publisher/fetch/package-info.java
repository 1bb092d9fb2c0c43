/**
 * Getting CRLs from the CA: on a schedule with a margin before nextUpdate, on demand, and when the CA's
 * event feed announces a revocation (debounced, so a burst makes one CRL), retrying with backoff.
 */
package io.upki.publisher.fetch;
