package io.upki.ca.authority;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks that an intermediate CA's certificate reaches its root through the given chain, with the JDK's
 * RFC 5280 section 6.1 validator (signatures, validity, basicConstraints, path length, keyUsage), plus
 * what that validator leaves out: the root's own validity and self-signature.
 */
public final class ChainCheck {
    private ChainCheck() {
    }

    /**
     * @param ca the issuing CA's certificate
     * @param chain the certificates above it, the last one the self-signed root
     * @throws IllegalStateException with a one-line reason
     */
    public static void verify(X509Certificate ca, List<X509Certificate> chain, Instant now) {
        if (chain.isEmpty()) {
            throw new IllegalStateException("the chain is empty: give the root certificate (and any CA between)");
        }
        X509Certificate root = chain.get(chain.size() - 1);
        if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
            throw new IllegalStateException("the chain does not reach a root: its last certificate ("
                    + root.getSubjectX500Principal().getName() + ") is not self-signed");
        }
        try {
            root.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the root certificate's self-signature does not verify", e);
        }
        try {
            root.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the root certificate " + root.getSubjectX500Principal().getName()
                    + " is not valid now (valid until " + root.getNotAfter().toInstant() + ")", e);
        }
        List<X509Certificate> path = new ArrayList<>();
        path.add(ca);
        path.addAll(chain.subList(0, chain.size() - 1));
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
            // Revocation of an intermediate is the root CRL's job, published beside the CA's own CRL.
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw new IllegalStateException("the CA certificate " + ca.getSubjectX500Principal().getName()
                    + " does not chain to the root " + root.getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot check the chain: " + e.getMessage(), e);
        }
        if (ca.getBasicConstraints() < 0) {
            throw new IllegalStateException("the certificate " + ca.getSubjectX500Principal().getName() + " is not a CA certificate");
        }
    }
}
