/** The CA's own identity: its key and certificate on disk, their creation, and the registration seed. */
package io.upki.ca.authority;
