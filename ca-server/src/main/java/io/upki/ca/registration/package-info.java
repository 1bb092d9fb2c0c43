/** Node bootstrap with the registration seed: {@code register} on both ports and {@code status}. */
package io.upki.ca.registration;
