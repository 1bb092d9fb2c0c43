/**
 * upki-cli's composition root and conventions: the command tree, exit codes, one-line errors, and the
 * context (working directory, environment, streams, clock) every command receives by constructor.
 */
package io.upki.cli;
