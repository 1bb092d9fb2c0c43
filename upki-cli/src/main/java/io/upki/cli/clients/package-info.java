/** {@code clients}: the CURVE client keys a CA knows, their roles, and the first operator's enrolment. */
package io.upki.cli.clients;
