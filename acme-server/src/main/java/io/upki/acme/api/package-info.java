/**
 * The ACME HTTP surface (RFC 8555 section 7): route table, request authentication, resources and
 * their JSON, finalization through the CA, revocation and renewal information (RFC 9773), with every
 * failure answered as an RFC 7807 problem document in one place.
 */
package io.upki.acme.api;
