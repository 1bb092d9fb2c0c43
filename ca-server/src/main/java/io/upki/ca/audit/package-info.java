/** Structured audit lines for issuance, revocation, CRL generation and every refusal. */
package io.upki.ca.audit;
