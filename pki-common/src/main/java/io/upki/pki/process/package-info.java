/** What every upki process does the same way: run its command line, report errors in one line, serve until SIGTERM. */
package io.upki.pki.process;
