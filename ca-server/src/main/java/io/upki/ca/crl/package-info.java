/** CRL generation (RFC 5280 section 5): X.509 v2 with CRL Number, AKI and a reasonCode per entry. */
package io.upki.ca.crl;
