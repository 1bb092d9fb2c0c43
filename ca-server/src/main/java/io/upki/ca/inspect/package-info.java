/** Read-only views of issued certificates: {@code view}, {@code ocsp_check}, {@code list_nodes}, {@code get_node}. */
package io.upki.ca.inspect;
