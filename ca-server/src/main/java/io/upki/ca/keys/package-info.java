/**
 * Where the CA's signing key lives, file or PKCS#11 token, behind one {@link io.upki.ca.keys.CaKey}
 * that every certificate and CRL is signed through.
 */
package io.upki.ca.keys;
