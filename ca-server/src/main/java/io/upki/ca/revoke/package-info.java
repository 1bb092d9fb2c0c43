/** Revocation, certificateHold release and uPKI's {@code delete}, each durable before it is acknowledged. */
package io.upki.ca.revoke;
