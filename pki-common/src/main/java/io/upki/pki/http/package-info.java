/**
 * What every upki HTTP server (ra-core, auth-sidecar, crl-publisher) shares: the method a request
 * really has, never one named by a header.
 */
package io.upki.pki.http;
