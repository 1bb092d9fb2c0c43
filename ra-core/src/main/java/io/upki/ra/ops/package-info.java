/** The RA's health, readiness (CA reachable, CRLs current) and Prometheus metrics routes. */
package io.upki.ra.ops;
