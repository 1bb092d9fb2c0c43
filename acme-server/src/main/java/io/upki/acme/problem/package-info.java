/** The one table of ACME errors (RFC 8555 section 6.7) and the problem document that carries them. */
package io.upki.acme.problem;
