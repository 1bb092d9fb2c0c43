package io.upki.pki.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Signs identity assertions with the sidecar's EC key; the certificate chain travels in {@code x5c}. */
public final class AssertionSigner {
    public static final JOSEObjectType TYPE = new JOSEObjectType("upki-assertion+jwt");
    static final String ISSUER = "upki-auth-sidecar";

    private final ECDSASigner signer;
    private final JWSAlgorithm algorithm;
    private final List<Base64> x5c = new ArrayList<>();
    private final Clock clock;
    private final Duration ttl;

    /**
     * @param chain the signing certificate first (issued under the assertion-signer role)
     * @param ttl lifetime of an assertion: seconds, not minutes
     */
    public AssertionSigner(PrivateKey key, List<X509Certificate> chain, Clock clock, Duration ttl) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("the assertion key must be an EC key");
        }
        try {
            this.signer = new ECDSASigner(ec);
            for (X509Certificate c : chain) {
                // The root is left out: the verifier holds ca.crt, and a smaller header fits proxies'
                // default buffers (nginx: 4 KiB).
                if (x5c.isEmpty() || !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                    x5c.add(Base64.encode(c.getEncoded()));
                }
            }
        } catch (JOSEException | CertificateEncodingException e) {
            throw new IllegalArgumentException("unusable assertion key or certificate: " + e.getMessage(), e);
        }
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        this.algorithm = bits == 384 ? JWSAlgorithm.ES384 : bits == 521 ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** An assertion for {@code identity} valid for this request only. */
    public String sign(Identity identity, String method, String uri) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(identity.subject())
                .claim("serial", identity.serialHex())
                .claim("fpr", identity.fingerprint())
                .claim("role", identity.role())
                .claim("crl", identity.crlNumber())
                .claim("htm", method)
                .claim("htu", uri)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(TYPE).x509CertChain(x5c).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign assertion", e);
        }
        return jwt.serialize();
    }
}
