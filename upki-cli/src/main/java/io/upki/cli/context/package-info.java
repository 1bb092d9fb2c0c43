/**
 * What every upki-cli command shares and nothing else: the run's context (files, terminal, environment),
 * the one exception a command fails with, and its exit codes. It imports no other upki-cli package, so
 * the command packages and the root command that lists them all depend on it without a cycle.
 */
package io.upki.cli.context;
