/** Operations support shared by every process: the Micrometer registry, CRL gauges and readiness answers. */
package io.upki.pki.ops;
