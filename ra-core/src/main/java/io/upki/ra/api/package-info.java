/** The RA's HTTP API: route table with the role of each route, handlers, one error type mapped once. */
package io.upki.ra.api;
