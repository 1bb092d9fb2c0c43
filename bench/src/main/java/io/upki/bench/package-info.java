/** The ca-server benchmark driver: seeds the CA store, drives load over ZeroMQ, and writes the report. */
package io.upki.bench;
