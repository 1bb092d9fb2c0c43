/** The sidecar's CRLs: verified on arrival from files or URLs, swapped in atomically, the last good one kept. */
package io.upki.sidecar.revocation;
