/**
 * Who is calling: in direct mode from the TLS client certificate (same path, EKU and CRL checks as the
 * sidecar), in edge mode only from a valid sidecar assertion bound to the request.
 */
package io.upki.ra.auth;
