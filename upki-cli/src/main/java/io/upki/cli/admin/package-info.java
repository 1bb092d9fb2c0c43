/** The CA's administrator list, and the first administrator of a new installation. */
package io.upki.cli.admin;
