/** The online intermediate CA's life under an offline root: its request, then its installation. */
package io.upki.ca.intermediate;
