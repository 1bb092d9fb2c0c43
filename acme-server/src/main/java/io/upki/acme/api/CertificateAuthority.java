package io.upki.acme.api;

import io.upki.acme.problem.AcmeProblem;
import java.math.BigInteger;

/** The three things ACME needs from the CA: sign a CSR under a profile, revoke by serial, and its certificate. */
public interface CertificateAuthority {
    /** A certificate the CA signed. */
    record Signed(String certificatePem, BigInteger serial) {
    }

    /**
     * @param fallbackCn the subject CN when the CSR has an empty subject (one of the CSR's own names)
     * @throws AcmeProblem badCSR when the CA refuses the request, serverInternal (503) when it is unavailable
     */
    Signed sign(String csrPem, String profile, String fallbackCn) throws AcmeProblem;

    void revoke(BigInteger serial, String reason) throws AcmeProblem;

    String caCertificatePem() throws AcmeProblem;
}
