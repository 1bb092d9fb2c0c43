/** Who is an administrator: DNs from a file or the CA's {@code list_admins}, kept current. */
package io.upki.pki.admins;
