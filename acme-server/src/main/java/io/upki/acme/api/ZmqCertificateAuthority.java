package io.upki.acme.api;

import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.CertificateId;
import io.upki.pki.caclient.RevocationRequest;
import io.upki.pki.caclient.SignRequest;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.SignedCertificate;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import java.math.BigInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA over ZeroMQ ({@code sign}, {@code revoke}, {@code get_ca} tasks of the typed CA client): CA
 * failures become ACME problems here only. A CA that does not answer is a 503; a refused CSR is a badCSR with the CA's reason.
 */
public final class ZmqCertificateAuthority implements CertificateAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqCertificateAuthority.class);
    private final CertificateAuthorityClient ca;
    private volatile String caPem;

    public ZmqCertificateAuthority(CaClient ca) {
        this(new TypedCaClient(ca));
    }

    public ZmqCertificateAuthority(CertificateAuthorityClient ca) {
        this.ca = ca;
    }

    @Override
    public Signed sign(String csrPem, String profile, String fallbackCn) throws AcmeProblem {
        SignedCertificate signed = call(CaTask.SIGN, c -> c.sign(new SignRequest(csrPem, profile, fallbackCn)));
        return new Signed(signed.certificate(), signed.serial());
    }

    @Override
    public void revoke(BigInteger serial, String reason) throws AcmeProblem {
        call(CaTask.REVOKE, c -> {
            c.revoke(new RevocationRequest(CertificateId.serial(serial), reason));
            return null;
        });
    }

    @Override
    public String caCertificatePem() throws AcmeProblem {
        String pem = caPem;
        if (pem == null) {
            pem = call(CaTask.GET_CA, CertificateAuthorityClient::caCertificate);
            caPem = pem;
        }
        return pem;
    }

    private <T> T call(CaTask task, Function<CertificateAuthorityClient, T> call) throws AcmeProblem {
        try {
            return call.apply(ca);
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
