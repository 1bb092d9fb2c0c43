/** The ACME server's audit port: its events on the host process's audit trail. */
package io.upki.acme.audit;
