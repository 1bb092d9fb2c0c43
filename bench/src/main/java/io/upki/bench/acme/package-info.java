/** The ACME issuance benchmark's client: a tight RFC 8555 client with its own http-01 responder. */
package io.upki.bench.acme;
