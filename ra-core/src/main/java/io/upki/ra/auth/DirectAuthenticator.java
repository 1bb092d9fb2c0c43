package io.upki.ra.auth;

import io.javalin.http.Context;
import io.upki.pki.admins.AdminDirectory;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.trust.ChainVerifier;
import io.upki.pki.trust.Purpose;
import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import io.upki.pki.trust.VerifiedPath;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.UpkiRole;
import io.upki.ra.api.ApiException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct mode: the RA terminates TLS itself. The handshake proves the client holds the certificate's
 * key; trust is decided here with the same path, EKU and CRL checks as the sidecar (pki-common).
 */
public final class DirectAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DirectAuthenticator.class);
    private static final String CERTS = "jakarta.servlet.request.X509Certificate";

    private final ChainVerifier chains;
    private final Supplier<RevocationIndex> crls;
    private final AdminDirectory admins;
    private final Clock clock;

    public DirectAuthenticator(ChainVerifier chains, Supplier<RevocationIndex> crls, AdminDirectory admins, Clock clock) {
        this.chains = chains;
        this.crls = crls;
        this.admins = admins;
        this.clock = clock;
    }

    @Override
    public Caller authenticate(Context ctx) throws ApiException {
        Object attribute = ctx.req().getAttribute(CERTS);
        if (!(attribute instanceof X509Certificate[] presented) || presented.length == 0) {
            throw new ApiException(Refusal.NO_CERTIFICATE.status(), Refusal.NO_CERTIFICATE.code(),
                    Refusal.NO_CERTIFICATE.message());
        }
        try {
            VerifiedPath path = chains.verify(List.of(presented), Purpose.CLIENT_AUTH);
            crls.get().check(path, clock.instant(), Duration.ZERO);
            X509Certificate leaf = path.leaf();
            boolean admin = UpkiRole.ADMIN.heldBy(leaf)
                    || admins.contains(DistinguishedNames.canonicalKey(CertificateFacts.subject(leaf)));
            return new Caller(io.upki.pki.x509.SubjectFormat.rfc4514(leaf.getSubjectX500Principal()), leaf.getSerialNumber(),
                    CertificateFacts.sha256Fingerprint(leaf), admin);
        } catch (RefusedException e) {
            LOG.info("client certificate refused: {} ({})", e.refusal().code(), e.getMessage());
            throw new ApiException(e.refusal().status(), e.refusal().code(),
                    "client certificate refused: " + e.refusal().message());
        }
    }
}
