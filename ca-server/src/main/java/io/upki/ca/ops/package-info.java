/** The CA's operations listener: health, readiness (store, key, CRL) and Prometheus metrics over plain HTTP. */
package io.upki.ca.ops;
