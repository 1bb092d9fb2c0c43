package io.upki.pki.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Purpose;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.Role;
import io.upki.pki.trust.VerifiedPath;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Verifies a sidecar assertion for one request: the signer, named by {@code kid} and {@code x5t#S256}
 * and found through {@link SignerCertificates}, has a certificate that chains to the CA, holds the
 * assertion-signer role (a client certificate cannot sign one) and is not revoked, the signature
 * verifies, the assertion has not expired, and it was made for this method and URI.
 *
 * <p>Replay (issue #16 L1). An assertion binds method and URI but not the body: forward-auth never sees
 * the body (Traefik's forwardAuth, nginx's auth_request and Caddy's forward_auth send headers only), so
 * binding it would mean buffering and hashing every body in the proxy. A one-time {@code jti} for every
 * method would refuse the sidecar's deliberate reuse of one assertion for identical GETs, and a shorter
 * lifetime alone only narrows the window. So the rule depends on the method (RFC 9110 section 9.2.1):
 * <ul>
 *   <li>safe methods (GET, HEAD, OPTIONS): reusable for the assertion's lifetime (the sidecar's 30 s
 *       default, plus the leeway); a replay reads what the original request read, nothing changes;</li>
 *   <li>every other method: the sidecar signs a fresh assertion per request, and the verifier accepts it
 *       at most {@link #UNSAFE_MAX_AGE} after its issue and, with {@link SingleUseAssertions}, once. A
 *       captured POST assertion cannot be sent again with another body (another CSR, another
 *       administrator's DN); with several RA replicas, each remembering its own, the age bound still
 *       limits a replay to seconds.</li>
 * </ul>
 */
public final class AssertionVerifier {
    /** A serial in lower-case hex, at most 20 octets (RFC 5280 section 4.1.2.2). */
    private static final Pattern KID = Pattern.compile("[0-9a-f]{1,40}");
    /** base64url of 32 bytes, unpadded. */
    private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** An assertion claiming a longer life than this is refused even if signed. */
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** Methods whose assertions the sidecar reuses for identical requests (RFC 9110 section 9.2.1). */
    public static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /**
     * The most an assertion for an unsafe method may have aged since its issue (plus the leeway), whatever
     * lifetime it claims: the sidecar signs such an assertion for the request it is forwarding right
     * away, so seconds are plenty, and {@code iat} has whole-second precision.
     */
    public static final Duration UNSAFE_MAX_AGE = Duration.ofSeconds(5);

    private final ChainVerifier chains;
    private final SignerCertificates signers;
    private final Clock clock;
    private final Duration leeway;
    private final Supplier<RevocationIndex> revocation;
    private final SingleUseAssertions singleUse;

    /** Why an assertion was refused. */
    public static class InvalidAssertionException extends Exception {
        public InvalidAssertionException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A verifier that checks neither revocation nor single use: for tests and tools that read an
     * assertion. Whatever admits requests uses the other constructor.
     */
    public AssertionVerifier(ChainVerifier chains, SignerCertificates signers, Clock clock, Duration leeway) {
        this(chains, signers, clock, leeway, null, null);
    }

    /**
     * @param signers    finds the certificate an assertion names by {@code kid} and {@code x5t#S256}
     * @param revocation the CRLs in force: an assertion whose signer (or a CA above it) is revoked, or whose
     *                   issuer has no current CRL, is refused (null: no revocation check)
     * @param singleUse  remembers the assertions used for unsafe methods (null: no one-time rule)
     */
    public AssertionVerifier(ChainVerifier chains, SignerCertificates signers, Clock clock, Duration leeway,
                             Supplier<RevocationIndex> revocation, SingleUseAssertions singleUse) {
        this.chains = chains;
        this.signers = signers;
        this.clock = clock;
        this.leeway = leeway;
        this.revocation = revocation;
        this.singleUse = singleUse;
    }

    /**
     * @return the identity the assertion carries
     * @throws InvalidAssertionException saying which check failed (for logs; clients get a plain 403); a
     *     {@link SignerCertificates.SignerUnavailableException} when the signer could not be looked up now
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
        JWSHeader header = jwt.getHeader();
        if (header.getX509CertChain() != null || header.getX509CertURL() != null || header.getJWK() != null
                || header.getJWKURL() != null) {
            // One way to name the signer: a key or chain sent along would be one more thing to trust.
            throw new InvalidAssertionException("the signer must be named by kid and x5t#S256 only");
        }
        Base64URL thumbprint = header.getX509CertSHA256Thumbprint();
        String kid = header.getKeyID();
        if (thumbprint == null || kid == null || !KID.matcher(kid).matches()
                || !THUMBPRINT.matcher(thumbprint.toString()).matches()) {
            throw new InvalidAssertionException("no usable kid and x5t#S256");
        }
        X509Certificate signer = signers.find(kid, thumbprint.toString());
        if (!SignerCertificates.thumbprint(signer).equals(thumbprint.toString())) {
            throw new InvalidAssertionException("signer " + kid + " does not match x5t#S256");
        }
        VerifiedPath path;
        try {
            // Chain, validity and role on every use, though the certificate itself was looked up once.
            path = chains.verify(List.of(signer), Purpose.ASSERTION_SIGNER);
        } catch (RefusedException e) {
            throw new InvalidAssertionException("signer refused: " + e.refusal().code() + ": " + e.getMessage());
        }
        Instant now = clock.instant();
        if (revocation != null) {
            // A sidecar key revoked (keyCompromise) must stop vouching at once: its chain is still valid.
            try {
                revocation.get().check(path, now, Duration.ZERO);
            } catch (RefusedException e) {
                throw new InvalidAssertionException("signer refused: " + e.refusal().code() + ": " + e.getMessage());
            }
        }
        try {
            if (!(path.leaf().getPublicKey() instanceof ECPublicKey key) || !jwt.verify(new ECDSAVerifier(key))) {
                throw new InvalidAssertionException("bad signature");
            }
        } catch (JOSEException e) {
            throw new InvalidAssertionException("bad signature: " + e.getMessage());
        }
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
        if (!SAFE_METHODS.contains(method)) {
            Instant lastUse = iat.plus(UNSAFE_MAX_AGE).plus(leeway);
            if (now.isAfter(lastUse)) {
                throw new InvalidAssertionException("issued at " + iat + ": too old for " + method + " (at most "
                        + UNSAFE_MAX_AGE.toSeconds() + " s)");
            }
            if (singleUse != null) {
                singleUse.claim(claims.getJWTID(), lastUse);
            }
        }
        Role role;
        try {
            role = Role.fromWire(claim(claims, "role"));
        } catch (IllegalArgumentException e) {
            throw new InvalidAssertionException(e.getMessage());
        }
        return new Identity(claims.getSubject(), claim(claims, "serial"), claim(claims, "fpr"), role,
                claim(claims, "crl"));
    }

    private static String claim(JWTClaimsSet claims, String name) throws InvalidAssertionException {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw new InvalidAssertionException("claim " + name + " is not a string");
        }
    }
}
