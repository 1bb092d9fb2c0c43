package io.upki.pki.assertion;

import io.upki.pki.assertion.AssertionVerifier.InvalidAssertionException;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.CertificateId;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.UpkiRole;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecars' assertion-signer certificates as the CA holds them: looked up once with {@code view} by
 * the serial an assertion names ({@code kid}), kept while they are valid, and refused unless the CA
 * holds a certificate with that serial and exactly the {@code x5t#S256} named (RFC 7515 section 4.1.8).
 *
 * <p>Only the lookup is done once: the verifier checks chain, validity, role and revocation of the kept
 * certificate on every use. A signer the CA does not know is remembered as unknown for
 * {@link #UNKNOWN_FOR}, so made-up names cost the CA one {@code view} each at most that often, and at most
 * {@link #MAX_LOOKUPS} run at once; a CA that does not answer is not remembered, and the request is
 * refused as unavailable (503), never accepted.
 */
public final class CaSignerCertificates implements SignerCertificates {
    /** Sidecar signers kept: a deployment has a handful; beyond this, expired ones go, then none is added. */
    static final int MAX_SIGNERS = 1024;
    /** Unknown names remembered, with the same rule. */
    static final int MAX_UNKNOWN = 10_000;
    /**
     * Lookups of different names at once: a name is checked before any signature can be, so without a
     * bound anyone reaching the RA could keep the CA busy with made-up names. Beyond it: 503.
     */
    static final int MAX_LOOKUPS = 8;
    /** How long a name the CA refused is refused without asking again. */
    static final Duration UNKNOWN_FOR = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(CaSignerCertificates.class);

    private final CertificateAuthorityClient ca;
    private final Clock clock;
    /** By thumbprint. */
    private final ConcurrentHashMap<String, X509Certificate> known = new ConcurrentHashMap<>();
    /** By kid and thumbprint: why the CA's answer was refused, and until when that stands. */
    private final ConcurrentHashMap<String, Unknown> unknown = new ConcurrentHashMap<>();
    /** One lookup per name at a time: a burst of requests from a new sidecar asks the CA once. */
    private final ConcurrentHashMap<String, CompletableFuture<X509Certificate>> lookups = new ConcurrentHashMap<>();

    private record Unknown(String reason, Instant until) {
    }

    public CaSignerCertificates(CaClient ca, Clock clock) {
        this.ca = new TypedCaClient(ca);
        this.clock = clock;
    }

    @Override
    public X509Certificate find(String kid, String thumbprint) throws InvalidAssertionException {
        X509Certificate cached = known.get(thumbprint);
        if (cached != null) {
            if (!cached.getSerialNumber().toString(16).equals(kid)) {
                throw new InvalidAssertionException("kid " + kid + " does not name the signer with that x5t#S256");
            }
            return cached;
        }
        String name = kid + " " + thumbprint;
        Unknown refused = unknown.get(name);
        if (refused != null && clock.instant().isBefore(refused.until())) {
            throw new InvalidAssertionException(refused.reason());
        }
        CompletableFuture<X509Certificate> running = lookups.get(name);
        if (running == null && lookups.size() >= MAX_LOOKUPS) {
            throw new SignerUnavailableException("too many signer lookups at the CA in progress");
        }
        CompletableFuture<X509Certificate> mine = new CompletableFuture<>();
        running = lookups.putIfAbsent(name, mine);
        if (running == null) {
            try {
                mine.complete(lookUp(kid, thumbprint));
            } catch (InvalidAssertionException | RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                lookups.remove(name, mine);
            }
            running = mine;
        }
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignerUnavailableException("interrupted while looking up signer " + kid);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidAssertionException refusal) {
                throw refusal;
            }
            throw new SignerUnavailableException("looking up signer " + kid + " failed: " + e.getCause());
        }
    }

    /** Asks the CA for the certificate with serial {@code kid}; keeps it, or remembers why it was refused. */
    private X509Certificate lookUp(String kid, String thumbprint) throws InvalidAssertionException {
        BigInteger serial;
        try {
            serial = new BigInteger(kid, 16);
        } catch (NumberFormatException e) {
            throw refuse(kid, thumbprint, "signer " + kid + " is not a serial in hexadecimal");
        }
        CertificateView view;
        try {
            view = ca.view(CertificateId.serial(serial));
        } catch (CaClientException e) {
            if (e.kind() == CaClientException.Kind.REJECTED) {
                throw refuse(kid, thumbprint, "signer " + kid + " unknown to the CA: " + e.getMessage());
            }
            throw new SignerUnavailableException("cannot look up signer " + kid + ": " + e.getMessage());
        }
        String pem = view.certificate();
        if (pem == null || pem.isEmpty()) {
            // A CA whose view carries no certificate cannot vouch for any signer: the RA's setup is wrong.
            throw new SignerUnavailableException("the CA's view of signer " + kid + " has no certificate");
        }
        X509Certificate certificate;
        try {
            certificate = Pem.parseCertificate(pem);
        } catch (IllegalArgumentException e) {
            throw new SignerUnavailableException("the CA's certificate for signer " + kid + " is unreadable");
        }
        if (!certificate.getSerialNumber().equals(new BigInteger(kid, 16))
                || !SignerCertificates.thumbprint(certificate).equals(thumbprint)
                || !sha256Hex(certificate).equals(view.fingerprint())) {
            throw refuse(kid, thumbprint, "signer " + kid + ": the CA's certificate with that serial has another x5t#S256");
        }
        if (view.isRevoked()) {
            throw refuse(kid, thumbprint, "signer " + kid + " is revoked at the CA");
        }
        if (!UpkiRole.ASSERTION_SIGNER.heldBy(certificate)) {
            // Any issued certificate could be named: only signers are kept, so a cache of them stays small.
            throw refuse(kid, thumbprint, "certificate " + kid + " is not an assertion signer");
        }
        Instant now = clock.instant();
        if (known.size() >= MAX_SIGNERS) {
            known.values().removeIf(c -> c.getNotAfter().toInstant().isBefore(now));
        }
        if (known.size() < MAX_SIGNERS) {
            known.put(thumbprint, certificate);
        }
        LOG.info("sidecar signer {} ({}) looked up at the CA", kid, certificate.getSubjectX500Principal().getName());
        return certificate;
    }

    private InvalidAssertionException refuse(String kid, String thumbprint, String reason) {
        Instant now = clock.instant();
        if (unknown.size() >= MAX_UNKNOWN) {
            unknown.values().removeIf(u -> !now.isBefore(u.until()));
        }
        if (unknown.size() < MAX_UNKNOWN) {
            unknown.put(kid + " " + thumbprint, new Unknown(reason, now.plus(UNKNOWN_FOR)));
        }
        return new InvalidAssertionException(reason);
    }

    private static String sha256Hex(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash a certificate", e);
        }
    }
}
