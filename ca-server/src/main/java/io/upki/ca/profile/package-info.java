/** Certificate profiles: uPKI's seven built-ins with their exact values, and custom YAML profiles. */
package io.upki.ca.profile;
