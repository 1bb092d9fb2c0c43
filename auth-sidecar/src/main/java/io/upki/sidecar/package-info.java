/** The auth-sidecar process: its command line, composition root and HTTP routes. */
package io.upki.sidecar;
