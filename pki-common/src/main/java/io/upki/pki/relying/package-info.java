/**
 * A relying party's client-certificate trust, built once from a {@link io.upki.pki.relying.TrustConfig}:
 * the trusted CAs, the CRL feed (files, URLs, push), the administrator list, and the pipeline that turns a
 * presented chain into an {@link io.upki.pki.assertion.Identity} (path, validity, revocation, role). Used
 * by the auth-sidecar and by ra-core.
 */
package io.upki.pki.relying;
