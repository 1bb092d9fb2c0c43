/**
 * Issuing certificates (RFC 5280): serials, subject and SAN rules, extensions from the profile, and
 * the {@code generate}, {@code sign}, {@code register} and {@code renew} use cases.
 */
package io.upki.ca.issue;
