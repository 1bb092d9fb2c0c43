/**
 * The CA's JSON-over-ZeroMQ protocol as the uPKI CA speaks it: envelope, error codes, task names,
 * result records and the one Jackson codec every process uses.
 */
package io.upki.pki.wire;
