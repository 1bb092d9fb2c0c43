/** The CA's configuration: {@code config.yml} in the data directory, then environment, then flags. */
package io.upki.ca.config;
