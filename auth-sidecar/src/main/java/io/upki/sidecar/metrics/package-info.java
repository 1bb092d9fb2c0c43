/** The sidecar's Prometheus text metrics: decisions by result and reason, CRLs, verdict cache. */
package io.upki.sidecar.metrics;
