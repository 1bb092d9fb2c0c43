/** The processes' audit trail: an append-only file of JSON lines, one security-relevant event each. */
package io.upki.pki.audit;
