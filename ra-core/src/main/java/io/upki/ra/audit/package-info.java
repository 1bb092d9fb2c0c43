/** The RA's audit trail: API actions by administrators and clients, ACME issuance and revocation by account. */
package io.upki.ra.audit;
