/**
 * Durable CA state behind small repository interfaces (certificates, admins, CRLs, registered nodes);
 * the embedded SQLite implementation acknowledges a write only after it is on disk.
 */
package io.upki.ca.store;
