package io.upki.acme.api;

import io.upki.pki.audit.AuditTrail;
import io.upki.acme.audit.AcmeAudit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import io.javalin.http.Context;
import io.upki.pki.x509.Pem;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Account;
import io.upki.acme.store.AcmeStore;
import io.upki.acme.store.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;

/**
 * The end of a certificate's life: revocation (RFC 8555 section 7.6) by the ordering account or by
 * the certificate's own key, carried out at the CA; and renewal information (RFC 9773), whose
 * suggested window lies in the past once a certificate is revoked so clients renew at once.
 */
final class Renewals {
    /** RFC 5280 section 5.3.1 reason codes a subscriber may give, as the CA names them. */
    private static final Map<Integer, String> REASONS = Map.of(0, "unspecified", 1, "keyCompromise",
            3, "affiliationChanged", 4, "superseded", 5, "cessationOfOperation", 9, "privilegeWithdrawn");
    static final int RETRY_AFTER_SECONDS = 6 * 3600;
    private final AcmeStore store;
    private final CertificateAuthority ca;
    private final Clock clock;
    private final AcmeAudit audit;

    Renewals(AcmeStore store, CertificateAuthority ca, Clock clock, AcmeAudit audit) {
        this.audit = audit;
        this.store = store;
        this.ca = ca;
        this.clock = clock;
    }

    /** Signed by the ordering account's kid or by the certificate's own key as jwk (RFC 8555 section 7.6). */
    void revoke(Context ctx, AcmeUrls urls, AcmeRequest req) throws AcmeProblem {
        try {
            revokeChecked(ctx, req);
        } catch (AcmeProblem p) {
            // Authenticated but refused (another account's certificate, wrong key, bad reason): audited.
            audit.record(req.account() == null ? "certificate-key" : AcmeAudit.account(req.account().id()), "acme-revoke",
                    "refused", "reason", p.getMessage());
            throw p;
        }
    }

    private void revokeChecked(Context ctx, AcmeRequest req) throws AcmeProblem {
        ObjectNode payload = req.payload();
        String der = AcmeRequest.text(payload, "certificate", 64 * 1024);
        if (der == null) {
            throw new AcmeProblem(AcmeError.MALFORMED, "revokeCert needs a certificate");
        }
        X509Certificate presented = parse(der);
        IssuedCertificate issued = store.certificates().bySerial(presented.getSerialNumber())
                .filter(c -> sameCertificate(c, presented))
                .orElseThrow(() -> AcmeProblem.withStatus(AcmeError.MALFORMED, 404, "this certificate was not issued by this ACME server"));
        if (req.account() != null) {
            if (!issued.accountId().equals(req.account().id())) {
                throw new AcmeProblem(AcmeError.UNAUTHORIZED, "only the ordering account or the certificate's key may revoke it");
            }
        } else if (!sameKey(req, presented)) {
            throw new AcmeProblem(AcmeError.UNAUTHORIZED, "the request is not signed with the certificate's key");
        }
        JsonNode reasonNode = payload.get("reason");
        int code = reasonNode == null || reasonNode.isNull() ? 0 : reasonNode.canConvertToInt() ? reasonNode.asInt() : -1;
        String reason = REASONS.get(code);
        if (reason == null || (reasonNode != null && !reasonNode.isNull() && !reasonNode.isIntegralNumber())) {
            throw new AcmeProblem(AcmeError.BAD_REVOCATION_REASON, "reason must be one of " + REASONS.keySet());
        }
        if (issued.revoked()) {
            throw new AcmeProblem(AcmeError.ALREADY_REVOKED, "the certificate is already revoked");
        }
        ca.revoke(issued.serial(), reason);
        store.certificates().markRevoked(issued.id(), clock.instant());
        audit.record(req.account() == null ? AcmeAudit.certificateKey(issued.serial()) : AcmeAudit.account(req.account().id()),
                "acme-revoke", "ok", "serial", AuditTrail.serial(issued.serial()),
                "subject", presented.getSubjectX500Principal().getName(), "reason", reason, "owner", AcmeAudit.account(issued.accountId()));
        ctx.status(200);
    }

    /** RFC 9773 section 4: {@code GET renewalInfo/<base64url(AKI keyIdentifier)>.<base64url(serial DER)>}. */
    void renewalInfo(Context ctx) throws AcmeProblem {
        IssuedCertificate cert = byCertId(ctx.pathParam("id"));
        Instant now = clock.instant();
        Instant start;
        Instant end;
        if (cert.revoked()) {
            // RFC 9773 section 4.2: a window entirely in the past makes clients renew immediately.
            start = now.minus(Duration.ofHours(2));
            end = now.minus(Duration.ofHours(1));
        } else {
            Duration life = Duration.between(cert.notBefore(), cert.notAfter());
            start = cert.notBefore().plus(life.multipliedBy(2).dividedBy(3));
            end = cert.notBefore().plus(life.multipliedBy(5).dividedBy(6));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("suggestedWindow").put("start", Resources.time(start)).put("end", Resources.time(end));
        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        Replies.json(ctx, 200, body);
    }

    /** RFC 9773 section 5: {@code replaces} must name a certificate of the same account. */
    void checkReplaceable(String certId, Account account) throws AcmeProblem {
        IssuedCertificate cert = byCertId(certId);
        if (!cert.accountId().equals(account.id())) {
            throw new AcmeProblem(AcmeError.MALFORMED, "replaces names a certificate of another account");
        }
    }

    private IssuedCertificate byCertId(String certId) throws AcmeProblem {
        String[] parts = certId.split("\\.", -1);
        byte[] aki;
        BigInteger serial;
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException();
            }
            aki = Base64.getUrlDecoder().decode(parts[0]);
            serial = new BigInteger(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new AcmeProblem(AcmeError.MALFORMED, "not a certificate identifier (RFC 9773 section 4.1)");
        }
        IssuedCertificate cert = store.certificates().bySerial(serial).orElseThrow(() ->
                AcmeProblem.withStatus(AcmeError.MALFORMED, 404, "no certificate with this identifier"));
        byte[] ext = Pem.parseCertificate(cert.chainPem()).getExtensionValue("2.5.29.35");
        byte[] keyId = ext == null ? null : AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets())
                .getKeyIdentifierOctets();
        if (keyId == null || !Arrays.equals(keyId, aki)) {
            throw AcmeProblem.withStatus(AcmeError.MALFORMED, 404, "no certificate with this identifier");
        }
        return cert;
    }

    private static X509Certificate parse(String b64) throws AcmeProblem {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getUrlDecoder().decode(b64)));
        } catch (CertificateException | IllegalArgumentException e) {
            throw new AcmeProblem(AcmeError.MALFORMED, "certificate is not a base64url DER X.509 certificate");
        }
    }

    private static boolean sameCertificate(IssuedCertificate issued, X509Certificate presented) {
        try {
            return Arrays.equals(Pem.parseCertificate(issued.chainPem()).getEncoded(), presented.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            return false;
        }
    }

    private static boolean sameKey(AcmeRequest req, X509Certificate cert) {
        try {
            return req.key() instanceof AsymmetricJWK a
                    && Arrays.equals(a.toPublicKey().getEncoded(), cert.getPublicKey().getEncoded());
        } catch (JOSEException e) {
            return false;
        }
    }
}
