package io.upki.acme.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import java.math.BigInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA over ZeroMQ ({@code sign}, {@code revoke}, {@code get_ca} tasks): CA failures become ACME
 * problems here only. A CA that does not answer is a 503; a refused CSR is a badCSR with the CA's reason.
 */
public final class ZmqCertificateAuthority implements CertificateAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqCertificateAuthority.class);
    private final CaClient ca;
    private volatile String caPem;

    public ZmqCertificateAuthority(CaClient ca) {
        this.ca = ca;
    }

    @Override
    public Signed sign(String csrPem, String profile, String fallbackCn) throws AcmeProblem {
        ObjectNode params = CaClient.params().put("csr", csrPem).put("profile", profile);
        if (fallbackCn != null) {
            params.put("cn", fallbackCn);
        }
        JsonNode data = call(CaTask.SIGN, params);
        return new Signed(data.path("certificate").asText(), data.path("serial").bigIntegerValue());
    }

    @Override
    public void revoke(BigInteger serial, String reason) throws AcmeProblem {
        ObjectNode params = CaClient.params().put("reason", reason);
        params.put("serial", serial);
        call(CaTask.REVOKE, params);
    }

    @Override
    public String caCertificatePem() throws AcmeProblem {
        String pem = caPem;
        if (pem == null) {
            pem = call(CaTask.GET_CA, CaClient.params()).asText();
            caPem = pem;
        }
        return pem;
    }

    private JsonNode call(CaTask task, ObjectNode params) throws AcmeProblem {
        try {
            return ca.call(task, params);
        } catch (CaClientException e) {
            if (e.kind() == CaClientException.Kind.UNAVAILABLE) {
                throw AcmeProblem.withStatus(AcmeError.SERVER_INTERNAL, 503, "the CA is unavailable, retry later");
            }
            if (e.kind() == CaClientException.Kind.REJECTED && task == CaTask.SIGN && e.code() != CaErrorCode.PROFILE) {
                throw new AcmeProblem(AcmeError.BAD_CSR, "the CA refused the CSR: " + e.getMessage());
            }
            LOG.error("CA task {} failed: {}", task.wireName(), e.getMessage());
            throw new AcmeProblem(AcmeError.SERVER_INTERNAL, "the CA could not complete the request");
        }
    }
}
