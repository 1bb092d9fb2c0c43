/**
 * The command-line options every upki process shares, as picocli mixins that each produce a small
 * validated value: listeners, the CA's CURVE identity, the registration seed, the audit file and the
 * CRL feed; plus the one environment-default provider and the one version provider of every process.
 */
package io.upki.pki.options;
