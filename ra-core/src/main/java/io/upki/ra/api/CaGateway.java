package io.upki.ra.api;

import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.wire.CaErrorCode;

/**
 * The RA's only way to the CA: every task goes through the typed client here, so CA failures map to HTTP
 * in one place, by the CA's error code. A CA that does not answer within the client's bounded timeout is
 * a 503, an answer of the wrong shape a 502; a refused task is a 400 (404 for NOT_FOUND, 403 when the CA's
 * permission table refuses the RA) carrying the CA's reason.
 */
public final class CaGateway {
    private final CertificateAuthorityClient ca;

    public CaGateway(CaClient transport) {
        this(new TypedCaClient(transport));
    }

    public CaGateway(CertificateAuthorityClient ca) {
        this.ca = ca;
    }

    /** One CA task whose answer the caller uses. */
    @FunctionalInterface
    public interface Task<T> {
        T on(CertificateAuthorityClient ca);
    }

    /** One CA task without an answer. */
    @FunctionalInterface
    public interface Action {
        void on(CertificateAuthorityClient ca);
    }

    public <T> T call(Task<T> task) throws ApiException {
        try {
            return task.on(ca);
        } catch (CaClientException e) {
            throw map(e);
        }
    }

    /** As {@link #call(Task)}, answering {@code instead} when the CA refuses the task with {@code code}. */
    public <T> T call(Task<T> task, CaErrorCode code, ApiException instead) throws ApiException {
        try {
            return task.on(ca);
        } catch (CaClientException e) {
            throw e.kind() == CaClientException.Kind.REJECTED && e.code() == code ? instead : map(e);
        }
    }

    public void run(Action action) throws ApiException {
        call(ca -> {
            action.on(ca);
            return null;
        });
    }

    /** The HTTP answer for a failed CA task. */
    static ApiException map(CaClientException e) {
        return switch (e.kind()) {
            case UNAVAILABLE -> new ApiException(503, "the CA is unavailable, retry later");
            case PROTOCOL -> new ApiException(502, "the CA answered something unexpected");
            case REJECTED -> e.code() == CaErrorCode.PERMISSION
                    // The CA refused this RA's key the task: the caller may not do it through the RA.
                    ? new ApiException(403, e.getMessage())
                    : e.code() == CaErrorCode.NOT_FOUND ? new ApiException(404, e.getMessage())
                    : new ApiException(400, e.getMessage());
        };
    }
}
