/** Durable file writes: atomic replacement with fsync, and owner-only permissions for secrets. */
package io.upki.pki.files;
