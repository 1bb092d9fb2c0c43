/**
 * Keys and CSRs made on the operator's machine (only a CSR ever leaves it): used by issuance and by the
 * renewal agent alike, so neither depends on the other.
 */
package io.upki.cli.keys;
