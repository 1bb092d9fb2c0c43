/** Revoking certificates, one or a file of them, and having the CA sign a CRL that lists them. */
package io.upki.cli.revoke;
