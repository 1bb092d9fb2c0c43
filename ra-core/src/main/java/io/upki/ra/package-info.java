/** The ra-core process: command line, configuration and composition root of the Registration Authority. */
package io.upki.ra;
