/** The crl-publisher process: its command line, composition root and configuration. */
package io.upki.publisher;
