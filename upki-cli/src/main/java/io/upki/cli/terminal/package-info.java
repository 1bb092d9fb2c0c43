/** What upki-cli writes: human text or JSON on stdout, one-line errors and progress bars on stderr. */
package io.upki.cli.terminal;
