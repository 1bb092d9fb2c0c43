/**
 * The two ways to the CA behind one interface: ZeroMQ straight to the ca-server, or HTTPS with a client
 * certificate to the ra-core, which turns the same operations into CA tasks.
 */
package io.upki.cli.transport;
