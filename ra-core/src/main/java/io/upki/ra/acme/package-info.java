/**
 * ACME v2 (RFC 8555) under {@code /acme/}: the settings, the one problem type that crosses the
 * feature's packages, and the composition that wires store, JWS, validation and routes.
 */
package io.upki.ra.acme;
