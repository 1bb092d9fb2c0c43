package io.upki.pki.assertion;

import io.upki.pki.assertion.AssertionVerifier.InvalidAssertionException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a verifier finds the certificate an assertion names as its signer: by its SHA-256 thumbprint
 * ({@code x5t#S256}, RFC 7515 section 4.1.8) and serial ({@code kid}, section 4.1.4).
 *
 * <p>An implementation returns only a certificate whose thumbprint is the one asked for; the verifier
 * still checks the chain, the role and revocation of what it gets on every use.
 */
@FunctionalInterface
public interface SignerCertificates {

    /**
     * @param kid        the assertion's {@code kid}: the signer's serial in lower-case hex
     * @param thumbprint the assertion's {@code x5t#S256}: base64url SHA-256 of the signer certificate's DER
     * @return the certificate with that thumbprint and serial
     * @throws InvalidAssertionException when no such signer is known (refuse the request)
     * @throws SignerUnavailableException when the signer cannot be looked up now (the CA is unreachable)
     */
    X509Certificate find(String kid, String thumbprint) throws InvalidAssertionException;

    /** Signers known in advance, as a tool or a test holding their certificates has them. */
    static SignerCertificates of(Collection<X509Certificate> known) {
        Map<String, X509Certificate> byThumbprint = known.stream()
                .collect(Collectors.toUnmodifiableMap(SignerCertificates::thumbprint, Function.identity(), (a, b) -> a));
        return (kid, thumbprint) -> {
            X509Certificate c = byThumbprint.get(thumbprint);
            if (c == null || !c.getSerialNumber().toString(16).equals(kid)) {
                throw new InvalidAssertionException("unknown signer " + kid);
            }
            return c;
        };
    }

    /** The {@code x5t#S256} of {@code certificate}: base64url (no padding) of the SHA-256 of its DER. */
    static String thumbprint(X509Certificate certificate) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot hash the signer certificate: " + e.getMessage(), e);
        }
    }

    /** The signer could not be looked up now (the CA did not answer): refuse, but say it is not the client's fault. */
    final class SignerUnavailableException extends InvalidAssertionException {
        public SignerUnavailableException(String message) {
            super(message);
        }
    }
}
