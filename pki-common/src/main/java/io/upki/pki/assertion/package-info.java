/**
 * The sidecar's signed identity assertion (FORWARD-AUTH.md section 3): a short-lived JWS (RFC 7515,
 * ES256) carrying the client's identity bound to the request's method and URI, signed by a key the CA
 * certified for that role only; and the verifier the ra-core uses in edge mode.
 */
package io.upki.pki.assertion;
