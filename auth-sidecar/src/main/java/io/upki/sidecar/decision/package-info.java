/**
 * The forward-auth decision: which route class a request targets, the client's verified certificate
 * path (cached), revocation against the current CRLs, the administrator check, and the identity
 * headers of an allowed request.
 */
package io.upki.sidecar.decision;
