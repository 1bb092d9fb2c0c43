package io.upki.pki.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import java.util.List;

/** One entry of {@code list_nodes} / {@code get_node}: a certificate the CA issued and its state. */
public record NodeRecord(
        String dn,
        String cn,
        String profile,
        String state,
        BigInteger serial,
        List<SubjectAltName> sans,
        @JsonProperty("not_after") String notAfter) {
}
