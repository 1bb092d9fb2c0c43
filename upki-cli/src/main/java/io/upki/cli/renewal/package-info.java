/** Certificates that renew themselves: {@code upki-cli agent} / {@code renew --daemon} and one-shot self-renewal. */
package io.upki.cli.renewal;
