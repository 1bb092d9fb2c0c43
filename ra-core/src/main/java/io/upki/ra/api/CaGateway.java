package io.upki.ra.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;

/**
 * The RA's only way to the CA: every task goes through here, so CA failures map to HTTP in one place.
 * A CA that does not answer within the client's bounded timeout is a 503; a refused task is a 400
 * (404 for an unknown certificate, 403 when the CA's permission table refuses the RA) carrying the CA's reason.
 */
public final class CaGateway {
    private final CaClient ca;

    public CaGateway(CaClient ca) {
        this.ca = ca;
    }

    public JsonNode call(CaTask task, ObjectNode params) throws ApiException {
        try {
            return ca.call(task, params);
        } catch (CaClientException e) {
            switch (e.kind()) {
                case UNAVAILABLE -> throw new ApiException(503, "the CA is unavailable, retry later");
                case PROTOCOL -> throw new ApiException(502, "the CA answered something unexpected");
                default -> {
                    if (e.code() == CaErrorCode.PERMISSION) {
                        // The CA refused this RA's key the task: the caller may not do it through the RA.
                        throw new ApiException(403, e.getMessage());
                    }
                    if (e.code() == CaErrorCode.CERTIFICATE && e.getMessage().contains("Certificate not found")) {
                        throw new ApiException(404, e.getMessage());
                    }
                    throw new ApiException(400, e.getMessage());
                }
            }
        }
    }
}
