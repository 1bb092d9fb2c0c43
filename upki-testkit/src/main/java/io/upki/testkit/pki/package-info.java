/**
 * A test PKI on the caller's side: key pairs and CSRs made as upki-cli makes them, and CRL reading, for
 * every module's tests (no module's main code is needed, so any module may use it).
 */
package io.upki.testkit.pki;
