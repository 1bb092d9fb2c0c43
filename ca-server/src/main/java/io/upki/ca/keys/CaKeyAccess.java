package io.upki.ca.keys;

/**
 * How {@code start} reaches the CA key and what it says about its issuer.
 *
 * @param passphrase the passphrase of an encrypted {@code ca.key}, or null
 * @param pkcs11 the token holding the key, or null for {@code ca.key}
 * @param caIssuersUrl the URL written as AIA caIssuers in issued certificates, or null
 */
public record CaKeyAccess(char[] passphrase, Pkcs11Settings pkcs11, String caIssuersUrl) {
}
