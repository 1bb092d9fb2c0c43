/**
 * The forward-auth decision: which route class a request targets, the client's certificate header
 * through pki-common's relying-party pipeline (verified path remembered by header digest, validity,
 * revocation, role), and whether the route admits that role.
 */
package io.upki.sidecar.decision;
