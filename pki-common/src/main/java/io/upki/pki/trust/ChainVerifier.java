package io.upki.pki.trust;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import io.upki.pki.x509.SignatureAlgorithms;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Builds and validates the path from a client's leaf certificate to a configured trust anchor.
 *
 * <p>Anchors are trusted as configured. Configured intermediates are validated against the anchors
 * once, when the verifier is built, so a request costs one signature check per certificate it brings.
 * Certificates sent by the client are hints for path building only and are validated like any other
 * link; a certificate is never trusted because of its name: a rogue CA with the root's DN fails the
 * signature check. Checks follow RFC 5280 section 6.1: signature (SHA-1 and MD5 ones refused as
 * {@link Refusal#WEAK_SIGNATURE}), no critical extension that is not processed
 * ({@link Refusal#UNKNOWN_CRITICAL_EXTENSION}), validity at the injected clock,
 * issuer is a CA allowed to sign certificates, path length constraints; then the leaf must not be a CA
 * and must be good for the {@link Purpose}.
 */
public final class ChainVerifier {
    /** Critical extensions this verifier processes: see {@link #checkCriticalExtensions}. */
    static final java.util.Set<String> UNDERSTOOD_CRITICAL = java.util.Set.of(
            Extension.basicConstraints.getId(), Extension.keyUsage.getId(), Extension.extendedKeyUsage.getId(),
            Extension.subjectAlternativeName.getId());

    /** Longest path accepted, anchor included. */
    public static final int MAX_DEPTH = 6;

    private final Clock clock;
    private final Map<X500Principal, List<X509Certificate>> anchorsBySubject = new HashMap<>();
    private final Map<X500Principal, List<TrustedIssuer>> trustedBySubject = new HashMap<>();
    private final List<X509Certificate> anchors;
    /** The public key of each anchor and configured intermediate, imported once into the signature provider. */
    private final Map<X509Certificate, PublicKey> issuerKeys = new IdentityHashMap<>();

    /** A configured intermediate with its already-validated path up to an anchor. */
    private record TrustedIssuer(X509Certificate certificate, List<X509Certificate> pathToAnchor) {
    }

    /**
     * @param anchors trust anchors (roots), never empty
     * @param intermediates configured intermediates; one that does not chain to an anchor is an error
     * @throws IllegalArgumentException naming a configured certificate that cannot be used
     */
    public ChainVerifier(List<X509Certificate> anchors, List<X509Certificate> intermediates, Clock clock) {
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is required");
        }
        this.clock = clock;
        this.anchors = List.copyOf(anchors);
        for (X509Certificate anchor : anchors) {
            if (anchor.getBasicConstraints() < 0) {
                throw new IllegalArgumentException("trust anchor " + anchor.getSubjectX500Principal() + " is not a CA");
            }
            anchorsBySubject.computeIfAbsent(anchor.getSubjectX500Principal(), k -> new ArrayList<>()).add(anchor);
            issuerKeys.put(anchor, providerKey(anchor.getPublicKey()));
        }
        List<X509Certificate> pending = new ArrayList<>(intermediates);
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                X509Certificate ca = it.next();
                List<X509Certificate> path = pathAboveConfigured(ca);
                if (path != null) {
                    List<X509Certificate> full = new ArrayList<>();
                    full.add(ca);
                    full.addAll(path);
                    trustedBySubject.computeIfAbsent(ca.getSubjectX500Principal(), k -> new ArrayList<>())
                            .add(new TrustedIssuer(ca, full.subList(1, full.size())));
                    issuerKeys.put(ca, providerKey(ca.getPublicKey()));
                    it.remove();
                    progress = true;
                }
            }
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("intermediate " + pending.get(0).getSubjectX500Principal()
                    + " does not chain to a trust anchor");
        }
    }

    public List<X509Certificate> anchors() {
        return anchors;
    }

    /** Every CA this verifier trusts: anchors and configured intermediates (CRL issuers). */
    public List<X509Certificate> trustedCas() {
        List<X509Certificate> all = new ArrayList<>(anchors);
        trustedBySubject.values().forEach(l -> l.forEach(t -> all.add(t.certificate())));
        return all;
    }

    private List<X509Certificate> pathAboveConfigured(X509Certificate ca) {
        if (ca.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("intermediate " + ca.getSubjectX500Principal() + " is not a CA");
        }
        for (X509Certificate anchor : anchorsBySubject.getOrDefault(ca.getIssuerX500Principal(), List.of())) {
            if (signedBy(ca, anchor.getPublicKey())) {
                return List.of(anchor);
            }
        }
        for (TrustedIssuer issuer : trustedBySubject.getOrDefault(ca.getIssuerX500Principal(), List.of())) {
            if (signedBy(ca, issuer.certificate().getPublicKey())) {
                List<X509Certificate> path = new ArrayList<>();
                path.add(issuer.certificate());
                path.addAll(issuer.pathToAnchor());
                return path;
            }
        }
        return null;
    }

    /**
     * Validates the certificates a client presented, leaf first; the rest are path-building hints.
     *
     * @throws RefusedException with the reason of the first failed check
     */
    public VerifiedPath verify(List<X509Certificate> presented, Purpose purpose) throws RefusedException {
        if (presented.isEmpty()) {
            throw new RefusedException(Refusal.NO_CERTIFICATE, "no certificate");
        }
        X509Certificate leaf = presented.get(0);
        Date now = Date.from(clock.instant());
        checkValidity(leaf, now);
        checkSignatureAlgorithm(leaf);
        checkCriticalExtensions(leaf);
        if (leaf.getBasicConstraints() >= 0) {
            throw new RefusedException(Refusal.CA_CERTIFICATE, "leaf " + leaf.getSubjectX500Principal() + " is a CA");
        }
        if (!purpose.permits(leaf)) {
            throw new RefusedException(Refusal.WRONG_USAGE, "leaf is not for " + purpose);
        }
        List<X509Certificate> hints = presented.subList(1, presented.size());
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        X509Certificate current = leaf;
        while (path.size() < MAX_DEPTH) {
            X500Principal issuerName = current.getIssuerX500Principal();
            for (X509Certificate anchor : anchorsBySubject.getOrDefault(issuerName, List.of())) {
                if (signedBy(current, issuerKeys.get(anchor))) {
                    path.add(anchor);
                    return finish(path, now);
                }
            }
            for (TrustedIssuer issuer : trustedBySubject.getOrDefault(issuerName, List.of())) {
                if (signedBy(current, issuerKeys.get(issuer.certificate()))) {
                    path.add(issuer.certificate());
                    path.addAll(issuer.pathToAnchor());
                    return finish(path, now);
                }
            }
            X509Certificate next = null;
            for (X509Certificate hint : hints) {
                if (hint.getSubjectX500Principal().equals(issuerName) && !path.contains(hint)
                        && keyIdsMatch(current, hint) && signedBy(current, hint.getPublicKey())) {
                    next = hint;
                    break;
                }
            }
            if (next == null) {
                throw new RefusedException(Refusal.UNKNOWN_CA, "no trusted issuer for " + current.getSubjectX500Principal()
                        + " (issuer " + issuerName + ")");
            }
            path.add(next);
            current = next;
        }
        throw new RefusedException(Refusal.UNKNOWN_CA, "path longer than " + MAX_DEPTH);
    }

    /** Checks every CA link of a complete path: validity, CA flag, keyCertSign, path length. */
    private VerifiedPath finish(List<X509Certificate> path, Date now) throws RefusedException {
        for (int i = 1; i < path.size(); i++) {
            X509Certificate ca = path.get(i);
            checkValidity(ca, now);
            if (i < path.size() - 1) {
                // The anchor is trusted as configured: its self-signature is not relied upon (RFC 5280 6.1.1 (d)).
                checkSignatureAlgorithm(ca);
                checkCriticalExtensions(ca);
            }
            int pathLen = ca.getBasicConstraints();
            if (pathLen < 0) {
                throw new RefusedException(Refusal.UNKNOWN_CA, ca.getSubjectX500Principal() + " is not a CA");
            }
            boolean[] ku = ca.getKeyUsage();
            if (ku != null && (ku.length < 6 || !ku[5])) {
                throw new RefusedException(Refusal.UNKNOWN_CA, ca.getSubjectX500Principal() + " may not sign certificates");
            }
            // RFC 5280 4.2.1.9: pathLen counts the intermediates below this CA (the leaf excluded).
            int intermediatesBelow = i - 1;
            if (intermediatesBelow > pathLen) {
                throw new RefusedException(Refusal.UNKNOWN_CA, "path length constraint of "
                        + ca.getSubjectX500Principal() + " exceeded");
            }
        }
        return new VerifiedPath(path);
    }

    /**
     * RFC 5280 sections 4.2 and 6.1.5 (f): a certificate with a critical extension that is not
     * processed must be rejected. The ones processed here and by {@link Purpose}: basicConstraints (CA
     * flag, pathLen), keyUsage (keyCertSign on CAs; on the leaf the TLS terminator checked the handshake
     * signature), extendedKeyUsage (the purpose) and subjectAltName (names are only read from it).
     * Not processed, so refused when critical: nameConstraints, certificatePolicies, policyMappings,
     * policyConstraints, inhibitAnyPolicy and every other extension.
     */
    private static void checkCriticalExtensions(X509Certificate cert) throws RefusedException {
        java.util.Set<String> critical = cert.getCriticalExtensionOIDs();
        if (critical == null) {
            return;
        }
        for (String oid : critical) {
            if (!UNDERSTOOD_CRITICAL.contains(oid)) {
                throw new RefusedException(Refusal.UNKNOWN_CRITICAL_EXTENSION, cert.getSubjectX500Principal()
                        + " has critical extension " + oid + ", which is not processed");
            }
        }
    }

    /** RFC 5280 section 6.1.3 (a)(1) relies on the signature: one over SHA-1 or MD5 can be forged by collision. */
    private static void checkSignatureAlgorithm(X509Certificate cert) throws RefusedException {
        String weak = SignatureAlgorithms.refusal(cert.getSigAlgOID(), cert.getSigAlgParams());
        if (weak != null) {
            throw new RefusedException(Refusal.WEAK_SIGNATURE, cert.getSubjectX500Principal() + ": " + weak);
        }
    }

    private static void checkValidity(X509Certificate cert, Date now) throws RefusedException {
        try {
            cert.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new RefusedException(Refusal.EXPIRED, cert.getSubjectX500Principal() + " expired " + cert.getNotAfter());
        } catch (CertificateNotYetValidException e) {
            throw new RefusedException(Refusal.NOT_YET_VALID,
                    cert.getSubjectX500Principal() + " valid from " + cert.getNotBefore());
        }
    }

    private static boolean keyIdsMatch(X509Certificate child, X509Certificate issuer) {
        byte[] aki = keyId(child.getExtensionValue(Extension.authorityKeyIdentifier.getId()), true);
        byte[] ski = keyId(issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId()), false);
        return aki == null || ski == null || Arrays.equals(aki, ski);
    }

    private static byte[] keyId(byte[] extension, boolean authority) {
        if (extension == null) {
            return null;
        }
        try {
            byte[] octets = ASN1OctetString.getInstance(extension).getOctets();
            return authority ? AuthorityKeyIdentifier.getInstance(octets).getKeyIdentifierObject() == null ? null
                    : AuthorityKeyIdentifier.getInstance(octets).getKeyIdentifierObject().getOctets()
                    : ASN1OctetString.getInstance(octets).getOctets();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code key} as the first provider's KeyFactory makes it (the native provider's own key object when
     * it is installed), or {@code key} itself when that factory cannot take it.
     */
    private static PublicKey providerKey(PublicKey key) {
        try {
            return KeyFactory.getInstance(key.getAlgorithm()).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }

    /**
     * True when {@code key} verifies {@code cert}'s signature. The signature is checked over the
     * TBSCertificate exactly as {@link X509Certificate#verify(PublicKey)} does (the JDK's parser has
     * already refused a certificate whose inner and outer signature algorithms differ), but with a
     * Signature of the first provider and a key that may already be in that provider's form, so the
     * native provider does not re-import the CA's key on every request. Algorithms with parameters
     * (RSASSA-PSS) go through {@code verify} itself.
     */
    static boolean signedBy(X509Certificate cert, PublicKey key) {
        try {
            byte[] params = cert.getSigAlgParams();
            if (params != null && !(params.length == 2 && params[0] == 0x05 && params[1] == 0x00)) {
                cert.verify(key);
                return true;
            }
            Signature signature = Signature.getInstance(cert.getSigAlgName());
            signature.initVerify(key);
            signature.update(cert.getTBSCertificate());
            return signature.verify(cert.getSignature());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
