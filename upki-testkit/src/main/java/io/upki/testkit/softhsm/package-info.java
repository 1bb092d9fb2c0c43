/** A real SoftHSM2 token store for tests, in a temporary folder of its own. */
package io.upki.testkit.softhsm;
