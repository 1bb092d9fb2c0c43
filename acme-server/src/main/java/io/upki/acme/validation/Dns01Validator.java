package io.upki.acme.validation;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * dns-01 (RFC 8555 section 8.4): a TXT record at {@code _acme-challenge.<domain>} holding
 * base64url(SHA-256(key authorization)). A wildcard's record is at its base domain.
 */
public final class Dns01Validator implements ChallengeValidator {
    private final Resolver resolver;

    public Dns01Validator(Resolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void validate(Identifier identifier, String token, String keyAuthorization) throws AcmeProblem {
        if (identifier.isIp()) {
            // RFC 8738 section 7: dns-01 cannot prove control of an IP address.
            throw new AcmeProblem(AcmeError.MALFORMED, "dns-01 does not apply to IP identifiers");
        }
        String expected = digest(keyAuthorization);
        String name = "_acme-challenge." + identifier.value();
        List<String> records = resolver.txt(name);
        if (records.contains(expected)) {
            return;
        }
        throw new AcmeProblem(AcmeError.INCORRECT_RESPONSE, records.isEmpty() ? "no TXT record found at " + name
                : "none of the " + records.size() + " TXT records at " + name + " matches the key authorization");
    }

    static String digest(String keyAuthorization) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
