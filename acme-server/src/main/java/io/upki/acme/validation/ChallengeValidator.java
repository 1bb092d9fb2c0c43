package io.upki.acme.validation;

import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;

/** One challenge type's check (RFC 8555 section 8): returns normally when the identifier answered correctly. */
public interface ChallengeValidator {
    /**
     * @param keyAuthorization {@code token || '.' || base64url(JWK thumbprint)} (RFC 8555 section 8.1)
     * @throws AcmeProblem connection, dns, tls or incorrectResponse, saying what was wrong
     */
    void validate(Identifier identifier, String token, String keyAuthorization) throws AcmeProblem;
}
