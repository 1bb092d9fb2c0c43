/** Addressing a stored certificate by bare CN, slash DN, RFC 4514 DN or serial (CA-PROTOCOL.md section 4). */
package io.upki.ca.lookup;
