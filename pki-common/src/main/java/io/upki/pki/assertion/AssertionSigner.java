package io.upki.pki.assertion;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Signs identity assertions with the sidecar's EC key, naming its certificate by {@code x5t#S256} and
 * {@code kid} (RFC 7515 sections 4.1.8 and 4.1.4) rather than carrying it.
 *
 * <p>The JWS (RFC 7515, compact serialization) is assembled here rather than by a JOSE library: the
 * protected header never changes, so it is encoded once, and the claims are a fixed set of strings and
 * two numbers. Building them through a JOSE object model cost five times the ECDSA signature itself on
 * every allowed request. {@link AssertionVerifier} (and any JOSE library) reads the result as before.
 */
public final class AssertionSigner {
    /** The {@code typ} header value (RFC 7515 section 4.1.9). */
    public static final String TYPE = "upki-assertion+jwt";
    static final String ISSUER = "upki-auth-sidecar";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Clock clock;
    private final Duration ttl;
    /** base64url(header) + ".", the same for every assertion. */
    private final byte[] headerPrefix;
    private final String jcaAlgorithm;
    /** Bytes of r and of s in the JWS signature (RFC 7518 section 3.4). */
    private final int coordinateBytes;
    private final PrivateKey key;
    private final Provider provider;
    /**
     * One initialised Signature per thread: initSign costs as much as a signature with the native
     * provider, and a Signature is not thread-safe. Request threads are pooled, so each is made once.
     */
    private final ThreadLocal<Signature> signatures;

    /**
     * @param chain the signing certificate first (issued under the assertion-signer role); the rest is not sent
     * @param ttl lifetime of an assertion: seconds, not minutes
     */
    public AssertionSigner(PrivateKey key, List<X509Certificate> chain, Clock clock, Duration ttl) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("the assertion key must be an EC key");
        }
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        String jwsAlgorithm = bits == 384 ? "ES384" : bits == 521 ? "ES512" : "ES256";
        this.jcaAlgorithm = bits == 384 ? "SHA384withECDSA" : bits == 521 ? "SHA512withECDSA" : "SHA256withECDSA";
        this.coordinateBytes = (bits + 7) / 8;
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no assertion certificate");
        }
        X509Certificate signer = chain.get(0);
        // The signer is named, not carried (issue #20): its certificate (and x5c with it) made up most of
        // the forward-auth answer. The verifier resolves the certificate once by this thumbprint and serial.
        String header = "{\"alg\":\"" + jwsAlgorithm + "\",\"typ\":\"" + TYPE + "\",\"kid\":\""
                + signer.getSerialNumber().toString(16) + "\",\"x5t#S256\":\"" + SignerCertificates.thumbprint(signer) + "\"}";
        this.headerPrefix = (BASE64URL.encodeToString(header.getBytes(StandardCharsets.US_ASCII)) + ".")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            Signature probe = Signature.getInstance(jcaAlgorithm);
            probe.initSign(key);
            this.provider = probe.getProvider();
            this.key = providerKey(key, provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable assertion key: " + e.getMessage(), e);
        }
        this.signatures = ThreadLocal.withInitial(this::newSignature);
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The key in the provider's own form, so no signature has to convert it again; the key as given if it refuses. */
    private static PrivateKey providerKey(PrivateKey key, Provider provider) {
        try {
            PrivateKey own = KeyFactory.getInstance("EC", provider).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
            Signature check = Signature.getInstance("SHA256withECDSA", provider);
            check.initSign(own);
            return own;
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }

    private Signature newSignature() {
        try {
            Signature s = Signature.getInstance(jcaAlgorithm, provider);
            s.initSign(key);
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign assertions with " + jcaAlgorithm, e);
        }
    }

    /** An assertion for {@code identity} valid for this request only. */
    public String sign(Identity identity, String method, String uri) {
        Instant now = clock.instant();
        byte[] claims = claims(identity, method, uri, now.getEpochSecond(), now.plus(ttl).getEpochSecond(),
                UUID.randomUUID().toString());
        byte[] payload = BASE64URL.encode(claims);
        byte[] signingInput = new byte[headerPrefix.length + payload.length];
        System.arraycopy(headerPrefix, 0, signingInput, 0, headerPrefix.length);
        System.arraycopy(payload, 0, signingInput, headerPrefix.length, payload.length);
        byte[] der;
        try {
            Signature s = signatures.get();
            s.update(signingInput);
            der = s.sign();
        } catch (GeneralSecurityException e) {
            // The Signature may be left half-used: the next call on this thread starts from a fresh one.
            signatures.remove();
            throw new IllegalStateException("cannot sign assertion", e);
        }
        byte[] signature = BASE64URL.encode(concatenated(der, coordinateBytes));
        byte[] jws = new byte[signingInput.length + 1 + signature.length];
        System.arraycopy(signingInput, 0, jws, 0, signingInput.length);
        jws[signingInput.length] = '.';
        System.arraycopy(signature, 0, jws, signingInput.length + 1, signature.length);
        return new String(jws, StandardCharsets.US_ASCII);
    }

    /**
     * The JWT claims (RFC 7519 section 4.1: iss, sub, iat, exp, jti; upki's serial, fpr, role, crl, htm,
     * htu), as ASCII-only JSON: every character outside printable ASCII is a \\u escape (RFC 8259 section 7).
     */
    static byte[] claims(Identity id, String method, String uri, long issuedAt, long expires, String jti) {
        StringBuilder sb = new StringBuilder(256 + id.subject().length() + (uri == null ? 0 : uri.length()));
        sb.append('{');
        string(sb, "iss", ISSUER).append(',');
        string(sb, "sub", id.subject()).append(',');
        string(sb, "serial", id.serialHex()).append(',');
        string(sb, "fpr", id.fingerprint()).append(',');
        string(sb, "role", id.role().wireName()).append(',');
        string(sb, "crl", id.crlNumber()).append(',');
        string(sb, "htm", method).append(',');
        string(sb, "htu", uri).append(',');
        sb.append("\"iat\":").append(issuedAt).append(",\"exp\":").append(expires).append(',');
        string(sb, "jti", jti).append('}');
        byte[] out = new byte[sb.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) sb.charAt(i);
        }
        return out;
    }

    /** {@code "name":"value"}, or {@code "name":null} for a null value (as the JOSE library wrote it). */
    private static StringBuilder string(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        if (value == null) {
            return sb.append("null");
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append("\\u");
                String hex = Integer.toHexString(c);
                for (int pad = hex.length(); pad < 4; pad++) {
                    sb.append('0');
                }
                sb.append(hex);
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }

    /**
     * The JCA's DER {@code SEQUENCE { INTEGER r, INTEGER s }} as the JWS form: r and s as unsigned
     * big-endian integers of {@code n} bytes each, concatenated (RFC 7518 section 3.4).
     */
    static byte[] concatenated(byte[] der, int n) {
        int pos = 0;
        if (der[pos++] != 0x30) {
            throw new IllegalStateException("ECDSA signature is not a DER sequence");
        }
        pos += (der[pos] & 0x80) != 0 ? 1 + (der[pos] & 0x7f) : 1;
        byte[] out = new byte[2 * n];
        for (int part = 0; part < 2; part++) {
            if (der[pos++] != 0x02) {
                throw new IllegalStateException("ECDSA signature part is not a DER integer");
            }
            int len = der[pos++] & 0xff;
            int start = pos;
            int end = pos + len;
            while (start < end - 1 && der[start] == 0) {
                start++;
            }
            int length = end - start;
            if (length > n) {
                throw new IllegalStateException("ECDSA signature part longer than the curve");
            }
            System.arraycopy(der, start, out, part * n + n - length, length);
            pos = end;
        }
        return out;
    }
}
