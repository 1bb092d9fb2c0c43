package io.upki.acme.jws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import java.io.IOException;
import java.security.Provider;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses and verifies ACME request JWSs (RFC 8555 section 6.2): flattened JSON only, no unprotected
 * header, an allow-listed asymmetric algorithm that matches the key (never {@code none} or a MAC),
 * public keys only, RSA of 2048 to 8192 bits, EC on the curve its algorithm names.
 */
public final class JwsVerifier {
    /** The account-key algorithms accepted, in the order listed to clients. */
    public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "ES512", "RS256");
    private static final Map<String, Curve> CURVES = Map.of("ES256", Curve.P_256, "ES384", Curve.P_384,
            "ES512", Curve.P_521);
    private static final Set<String> FIELDS = Set.of("protected", "payload", "signature");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** How many keys' verifiers are kept; each ACME request of a known account reuses its own. */
    private static final int CACHED_KEYS = 4096;
    /** The provider verifying ECDSA signatures, or null for the JCA default (see AcmeApi.create). */
    private final Provider ecdsa;
    /** Verifiers by public key (nimbus verifiers are thread-safe; a JWK equals another with the same members). */
    private final Map<JWK, JWSVerifier> verifiers = new ConcurrentHashMap<>();

    public JwsVerifier(Provider ecdsa) {
        this.ecdsa = ecdsa;
    }

    /** Parses a request body; anything but a flattened JWS with a JSON-object protected header is malformed. */
    public FlattenedJws parse(byte[] body) throws AcmeProblem {
        JsonNode root = readObject(body, "the request body is not a flattened JWS JSON object");
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                // RFC 8555 section 6.2: the unprotected header MUST NOT be used; only flattened JSON.
                throw malformed("unexpected JWS member '" + (name.length() > 32 ? name.substring(0, 32) : name) + "'");
            }
        }
        String p = textMember(root, "protected");
        String payload = textMember(root, "payload");
        String signature = textMember(root, "signature");
        ObjectNode header = (ObjectNode) readObject(decode(p, "protected"), "the protected header is not a JSON object");
        if (header.has("crit") || header.has("b64")) {
            throw malformed("critical or unencoded-payload JWS headers are not supported");
        }
        return new FlattenedJws(p, payload, signature, header, decode(payload, "payload"));
    }

    /** Checks the algorithm against the allow-list and the key, then the signature. */
    public void verify(FlattenedJws jws, JWK key) throws AcmeProblem {
        String alg = checkAlgorithm(jws.alg());
        JWSVerifier verifier;
        try {
            if (key instanceof ECKey ec && alg.startsWith("ES")) {
                if (!CURVES.get(alg).equals(ec.getCurve())) {
                    throw AcmeProblem.badAlgorithm(alg + " needs a key on " + CURVES.get(alg), ALGORITHMS);
                }
            } else if (!(key instanceof RSAKey && alg.startsWith("RS"))) {
                throw AcmeProblem.badAlgorithm(alg + " does not match the key type " + key.getKeyType(), ALGORITHMS);
            }
            verifier = verifiers.get(key);
            if (verifier == null) {
                verifier = newVerifier(key);
                if (verifiers.size() >= CACHED_KEYS) {
                    verifiers.clear(); // a bound, not an eviction policy: rebuilding a verifier is cheap
                }
                verifiers.put(key, verifier);
            }
            if (!verifier.verify(new JWSHeader(JWSAlgorithm.parse(alg)), jws.signingInput(), new Base64URL(jws.signatureB64()))) {
                throw malformed("JWS signature is invalid");
            }
        } catch (JOSEException e) {
            throw malformed("JWS signature cannot be verified");
        }
    }

    private JWSVerifier newVerifier(JWK key) throws JOSEException {
        if (key instanceof ECKey ec) {
            // Converts the point and checks it is on the curve (invalid-curve attacks): once per key, not per request.
            ECDSAVerifier ecVerifier = new ECDSAVerifier(ec);
            ecVerifier.getJCAContext().setProvider(ecdsa);
            return ecVerifier;
        }
        return new RSASSAVerifier((RSAKey) key);
    }

    /** RFC 8555 section 7.3.4: the EAB JWS is MACed (HS256/384/512) with the key the CA handed out. */
    public void verifyMac(FlattenedJws jws, byte[] secret) throws AcmeProblem {
        String alg = jws.alg();
        if (!"HS256".equals(alg) && !"HS384".equals(alg) && !"HS512".equals(alg)) {
            throw new AcmeProblem(AcmeError.MALFORMED, "externalAccountBinding must use HS256, HS384 or HS512");
        }
        try {
            if (!new MACVerifier(secret).verify(new JWSHeader(JWSAlgorithm.parse(alg)), jws.signingInput(),
                    new Base64URL(jws.signatureB64()))) {
                throw new AcmeProblem(AcmeError.UNAUTHORIZED, "externalAccountBinding MAC is invalid");
            }
        } catch (JOSEException e) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "externalAccountBinding MAC cannot be verified");
        }
    }

    /** A public JWK of an accepted type and size (RFC 8555 section 6.2: badPublicKey otherwise). */
    public JWK publicKey(JsonNode jwk) throws AcmeProblem {
        if (jwk == null || !jwk.isObject()) {
            throw malformed("jwk must be a JSON object");
        }
        JWK key;
        try {
            key = JWK.parse(JSON.writeValueAsString(jwk));
        } catch (java.text.ParseException | IOException e) {
            throw new AcmeProblem(AcmeError.BAD_PUBLIC_KEY, "jwk is not a valid JSON Web Key");
        }
        if (key.isPrivate()) {
            throw new AcmeProblem(AcmeError.BAD_PUBLIC_KEY, "jwk must not contain private key material");
        }
        if (key instanceof RSAKey rsa) {
            int bits = rsa.size();
            if (bits < 2048 || bits > 8192) {
                throw new AcmeProblem(AcmeError.BAD_PUBLIC_KEY, "RSA keys must have 2048 to 8192 bits");
            }
            return key;
        }
        if (key instanceof ECKey ec && CURVES.containsValue(ec.getCurve())) {
            return key;
        }
        throw new AcmeProblem(AcmeError.BAD_PUBLIC_KEY, "only RSA and EC P-256/P-384/P-521 keys are accepted");
    }

    /** The RFC 7638 SHA-256 thumbprint, base64url: an account's key identity and the key authorization suffix. */
    public static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The algorithm if it is allow-listed, else badSignatureAlgorithm. */
    public static String checkAlgorithm(String alg) throws AcmeProblem {
        if (alg == null || !ALGORITHMS.contains(alg)) {
            // "none" and MAC algorithms (HS*) are refused here (RFC 8555 section 6.2).
            throw AcmeProblem.badAlgorithm("JWS algorithm " + (alg == null ? "missing" : "'" + safe(alg) + "'")
                    + " is not accepted", ALGORITHMS);
        }
        return alg;
    }

    private static JsonNode readObject(byte[] bytes, String what) throws AcmeProblem {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw malformed(what);
            }
            return node;
        } catch (IOException e) {
            throw malformed(what);
        }
    }

    private static String textMember(JsonNode root, String name) throws AcmeProblem {
        JsonNode v = root.get(name);
        if (v == null || !v.isTextual()) {
            throw malformed("JWS member '" + name + "' is missing or not a string");
        }
        return v.asText();
    }

    private static byte[] decode(String b64, String what) throws AcmeProblem {
        if (b64.indexOf('=') >= 0) {
            throw malformed("JWS " + what + " must be unpadded base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw malformed("JWS " + what + " is not base64url");
        }
    }

    private static String safe(String s) {
        return s.length() > 16 ? s.substring(0, 16) : s.replaceAll("[^A-Za-z0-9_-]", "?");
    }

    private static AcmeProblem malformed(String detail) {
        return new AcmeProblem(AcmeError.MALFORMED, detail);
    }
}
