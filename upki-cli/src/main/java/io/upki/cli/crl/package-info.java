/** Downloading, verifying and printing the CA's CRL (RFC 5280 section 5). */
package io.upki.cli.crl;
