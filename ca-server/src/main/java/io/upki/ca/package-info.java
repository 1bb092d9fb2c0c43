/** The ca-server process: its command line and the composition root that wires the CA together. */
package io.upki.ca;
