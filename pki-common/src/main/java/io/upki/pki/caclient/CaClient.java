package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaTask;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The CA's task interface as the other processes use it. Only {@link #call} talks to the wire; the
 * typed helpers build parameters and read results for the common tasks.
 */
public interface CaClient extends AutoCloseable {

    /**
     * Sends one task and returns its {@code DATA}.
     *
     * @throws CaClientException REJECTED with the CA's code and message, or UNAVAILABLE after the
     *     timeout (and retries for idempotent tasks)
     */
    JsonNode call(CaTask task, ObjectNode params);

    @Override
    void close();

    default String getCaPem() {
        return call(CaTask.GET_CA, params()).asText();
    }

    /** The current CRL, DER bytes. */
    default byte[] getCrl() {
        return Base64.getDecoder().decode(call(CaTask.GET_CRL, params()).asText());
    }

    /** A freshly signed CRL, DER bytes. */
    default byte[] generateCrl() {
        return Base64.getDecoder().decode(call(CaTask.GENERATE_CRL, params()).asText());
    }

    default JsonNode sign(String csrPem, String profile) {
        return call(CaTask.SIGN, params().put("csr", csrPem).put("profile", profile));
    }

    default void revoke(String dn, String reason) {
        call(CaTask.REVOKE, params().put("dn", dn).put("reason", reason));
    }

    default void revokeSerial(BigInteger serial, String reason) {
        ObjectNode p = params().put("reason", reason);
        p.put("serial", serial);
        call(CaTask.REVOKE, p);
    }

    default List<String> listAdmins() {
        List<String> admins = new ArrayList<>();
        call(CaTask.LIST_ADMINS, params()).forEach(n -> admins.add(n.asText()));
        return admins;
    }

    static ObjectNode params() {
        return JsonNodeFactory.instance.objectNode();
    }
}
