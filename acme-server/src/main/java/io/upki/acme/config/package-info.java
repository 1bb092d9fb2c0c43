/** The ACME server's settings, validated when built, with the offending option named. */
package io.upki.acme.config;
