/**
 * What every upki HTTP server (ra-core, auth-sidecar, crl-publisher) needs against slow and misleading
 * clients: connection and request-header deadlines, request bodies loaded without holding a thread,
 * and the method a request really has, never one named by a header.
 */
package io.upki.pki.http;
