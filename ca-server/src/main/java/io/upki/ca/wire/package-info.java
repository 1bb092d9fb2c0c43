/**
 * The CA's ZeroMQ surface: a ROUTER socket per port feeding worker lanes, task handlers for the
 * operations and registration ports, and the one place where errors become {@code UPKI ERROR} replies.
 */
package io.upki.ca.wire;
