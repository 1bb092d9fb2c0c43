/**
 * Issuing certificates for keys made on the operator's machine ({@code generate}, {@code renew},
 * {@code admin bootstrap}): the private key never travels; only a CSR goes to the CA.
 */
package io.upki.cli.issue;
