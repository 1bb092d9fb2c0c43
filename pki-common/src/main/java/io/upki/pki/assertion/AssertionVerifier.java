package io.upki.pki.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Purpose;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.VerifiedPath;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Verifies a sidecar assertion for one request: the signer's certificate chains to the CA and holds
 * the assertion-signer role (a client certificate cannot sign one), the signature verifies, the
 * assertion has not expired, and it was made for this method and URI.
 */
public final class AssertionVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** An assertion claiming a longer life than this is refused even if signed. */
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private final ChainVerifier chains;
    private final Clock clock;
    private final Duration leeway;

    /** Why an assertion was refused. */
    public static final class InvalidAssertionException extends Exception {
        public InvalidAssertionException(String message) {
            super(message, null, false, false);
        }
    }

    public AssertionVerifier(ChainVerifier chains, Clock clock, Duration leeway) {
        this.chains = chains;
        this.clock = clock;
        this.leeway = leeway;
    }

    /**
     * @return the identity the assertion carries
     * @throws InvalidAssertionException saying which check failed (for logs; clients get a plain 403)
     */
    public Identity verify(String token, String method, String uri) throws InvalidAssertionException {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidAssertionException("unparsable assertion");
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw new InvalidAssertionException("algorithm " + jwt.getHeader().getAlgorithm() + " not accepted");
        }
        List<Base64> x5c = jwt.getHeader().getX509CertChain();
        if (x5c == null || x5c.isEmpty() || x5c.size() > ChainVerifier.MAX_DEPTH) {
            throw new InvalidAssertionException("no usable x5c");
        }
        VerifiedPath path;
        try {
            path = chains.verify(certificates(x5c), Purpose.ASSERTION_SIGNER);
        } catch (RefusedException e) {
            throw new InvalidAssertionException("signer refused: " + e.refusal().code() + ": " + e.getMessage());
        }
        try {
            if (!(path.leaf().getPublicKey() instanceof ECPublicKey key) || !jwt.verify(new ECDSAVerifier(key))) {
                throw new InvalidAssertionException("bad signature");
            }
        } catch (JOSEException e) {
            throw new InvalidAssertionException("bad signature: " + e.getMessage());
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || claims.getIssueTime() == null) {
            throw new InvalidAssertionException("no iat or exp");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        Instant iat = claims.getIssueTime().toInstant();
        if (!now.isBefore(exp.plus(leeway))) {
            throw new InvalidAssertionException("expired at " + exp);
        }
        if (iat.isAfter(now.plus(leeway)) || Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
            throw new InvalidAssertionException("issue time or lifetime out of bounds");
        }
        if (!AssertionSigner.ISSUER.equals(claims.getIssuer())) {
            throw new InvalidAssertionException("wrong issuer");
        }
        if (!method.equals(claim(claims, "htm")) || !uri.equals(claim(claims, "htu"))) {
            throw new InvalidAssertionException("made for " + claim(claims, "htm") + " " + claim(claims, "htu"));
        }
        return new Identity(claims.getSubject(), claim(claims, "serial"), claim(claims, "fpr"), claim(claims, "role"),
                claim(claims, "crl"));
    }

    private static String claim(JWTClaimsSet claims, String name) throws InvalidAssertionException {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw new InvalidAssertionException("claim " + name + " is not a string");
        }
    }

    private static List<X509Certificate> certificates(List<Base64> x5c) throws InvalidAssertionException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (Base64 b : x5c) {
                certs.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.decode())));
            }
        } catch (CertificateException e) {
            throw new InvalidAssertionException("bad x5c certificate");
        }
        return certs;
    }
}
