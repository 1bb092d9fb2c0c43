/** Looking at the CA: its status, profiles, and the certificates it issued. */
package io.upki.cli.inventory;
