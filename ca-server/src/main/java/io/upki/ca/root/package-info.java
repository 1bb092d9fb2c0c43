/** The offline root: a command-line tool that never serves, signing intermediates and its own CRL. */
package io.upki.ca.root;
