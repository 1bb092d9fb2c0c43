/** The RA's own identity: registered once with the CA's seed, kept as ra.key (0600), ra.crt and ca.crt. */
package io.upki.ra.bootstrap;
