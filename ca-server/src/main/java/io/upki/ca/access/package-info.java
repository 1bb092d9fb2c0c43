/**
 * Who may use the CA: CURVE client authentication (RFC 26, with ZAP, RFC 27), the known client keys and
 * their roles, and each role's permission table (docs/SECURITY.md).
 */
package io.upki.ca.access;
