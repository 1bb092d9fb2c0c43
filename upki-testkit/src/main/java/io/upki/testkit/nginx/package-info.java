/** A real nginx started by a test in its own folder, on a free loopback port. */
package io.upki.testkit.nginx;
