/** The sidecar's assertion-signing identity: from files, or registered with the CA under the sidecar profile. */
package io.upki.sidecar.signing;
