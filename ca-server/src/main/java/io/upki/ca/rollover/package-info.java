/** CA key rollover: the next issuing key, its installation, and the running CA taking it over. */
package io.upki.ca.rollover;
