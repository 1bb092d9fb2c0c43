/**
 * Who may call the auth-sidecar and ra-core's edge listener: the TLS peer must be upki's proxy
 * (issue #16 M1). Above {@code trust} and {@code crl}, which it combines, so neither depends on it.
 */
package io.upki.pki.peer;
