package io.upki.publisher.ocsp;

import io.upki.pki.crl.CrlSnapshot;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers OCSP requests (RFC 6960) for the certificates of one CA, signed by the {@link DelegatedSigner}.
 * Every input yields an OCSPResponse: malformedRequest for what cannot be parsed, unauthorized for a
 * CertID of another issuer or with a hash this responder does not compute, tryLater when the status
 * cannot be established; never an exception.
 *
 * <p>Responses to requests without a nonce are kept, keyed by the request's bytes, for the CRL and
 * signer that made them (RFC 5019 section 2.1.1 allows such pre-produced responses); a new CRL or a new
 * signer starts an empty cache at the next request, so a revocation is answered as soon as its CRL is
 * published. A request with a nonce (RFC 8954) always gets a freshly signed response echoing it.
 */
public final class OcspResponder {
    private static final Logger LOG = LoggerFactory.getLogger(OcspResponder.class);
    /** RFC 8954 section 2.1: a nonce is 1 to 32 octets. */
    static final int MAX_NONCE = 32;
    static final int MAX_CERT_IDS = 16;
    private static final int CACHE_CAPACITY = 100_000;

    /** One OCSPResponse, with its validity window when it is a successful one (else both null). */
    public record Answer(byte[] der, Instant thisUpdate, Instant nextUpdate) {
        public boolean successful() {
            return thisUpdate != null;
        }
    }

    private record Hashes(byte[] name, byte[] key) {
    }

    /** The CRL and signer responses are signed under, with the responses made for them. */
    private record Generation(CrlSnapshot crl, DelegatedSigner.Identity signer, RespID responderId,
                              ConcurrentHashMap<Key, Entry> cache) {
    }

    private record Entry(Answer answer, Instant staleAt) {
    }

    /** A request's DER as a map key. */
    private record Key(byte[] der, int hash) {
        static Key of(byte[] der) {
            return new Key(der, Arrays.hashCode(der));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.der, der);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final Answer MALFORMED = error(OCSPRespBuilder.MALFORMED_REQUEST);
    private static final Answer UNAUTHORIZED = error(OCSPRespBuilder.UNAUTHORIZED);
    private static final Answer TRY_LATER = error(OCSPRespBuilder.TRY_LATER);
    private static final Answer INTERNAL_ERROR = error(OCSPRespBuilder.INTERNAL_ERROR);

    private final Map<ASN1ObjectIdentifier, Hashes> issuer;
    private final Supplier<CrlSnapshot> crl;
    private final StatusLookup lookup;
    private final DelegatedSigner signer;
    private final Clock clock;
    private final Duration validity;
    private final AtomicReference<Generation> generation = new AtomicReference<>();
    /** The cache of the generation last replaced, for {@link #presign()}. */
    private final AtomicReference<ConcurrentHashMap<Key, Entry>> retired = new AtomicReference<>();
    private final LongAdder served = new LongAdder();
    private final LongAdder fromCache = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder presigned = new LongAdder();

    /**
     * @param crl the CRL being published (null before the first one)
     * @param validity nextUpdate - thisUpdate of a response; kept responses are re-signed after half of it
     */
    public OcspResponder(X509Certificate caCertificate, Supplier<CrlSnapshot> crl, StatusLookup lookup,
                         DelegatedSigner signer, Clock clock, Duration validity) {
        this.issuer = issuerHashes(caCertificate);
        this.crl = crl;
        this.lookup = lookup;
        this.signer = signer;
        this.clock = clock;
        this.validity = validity;
    }

    /** RFC 6960 section 4.1.1: the CertID hashes of this CA's name and key, for each hash accepted. */
    private static Map<ASN1ObjectIdentifier, Hashes> issuerHashes(X509Certificate caCertificate) {
        Map<ASN1ObjectIdentifier, Hashes> hashes = new HashMap<>();
        try {
            X509CertificateHolder holder = new X509CertificateHolder(caCertificate.getEncoded());
            DigestCalculatorProvider digests = new BcDigestCalculatorProvider();
            for (ASN1ObjectIdentifier alg : List.of(OIWObjectIdentifiers.idSHA1, NISTObjectIdentifiers.id_sha256,
                    NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512)) {
                CertificateID id = new CertificateID(digests.get(new AlgorithmIdentifier(alg)), holder, BigInteger.ONE);
                hashes.put(alg, new Hashes(id.getIssuerNameHash(), id.getIssuerKeyHash()));
            }
        } catch (IOException | CertificateEncodingException | OCSPException | OperatorCreationException e) {
            throw new IllegalStateException("cannot hash the CA certificate for OCSP", e);
        }
        return Map.copyOf(hashes);
    }

    /** The response to one DER OCSPRequest. */
    public Answer respond(byte[] der) {
        served.increment();
        try {
            Answer answer = answer(der);
            if (!answer.successful()) {
                refused.increment();
            }
            return answer;
        } catch (RuntimeException e) {
            LOG.error("OCSP request failed", e);
            refused.increment();
            return INTERNAL_ERROR;
        }
    }

    /** An answer for what is not an OCSP request at all (HTTP layer: wrong method, body too large). */
    public Answer malformed() {
        served.increment();
        refused.increment();
        return MALFORMED;
    }

    private Answer answer(byte[] der) {
        Generation gen = generation();
        Instant now = clock.instant();
        Key key = Key.of(der);
        if (gen != null) {
            Entry kept = gen.cache().get(key);
            if (kept != null && now.isBefore(kept.staleAt())) {
                fromCache.increment();
                return kept.answer();
            }
        }
        OCSPReq request;
        try {
            // fromByteArray refuses trailing bytes: one OCSPRequest, nothing more (RFC 6960 section 4.1.1).
            request = new OCSPReq(OCSPRequest.getInstance(ASN1Primitive.fromByteArray(der)));
        } catch (IOException | RuntimeException e) {
            return MALFORMED;
        }
        Req[] list = request.getRequestList();
        if (request.getVersionNumber() != 1 || list.length == 0 || list.length > MAX_CERT_IDS) {
            return MALFORMED;
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null && !nonceAcceptable(nonce)) {
            return MALFORMED;
        }
        for (Req req : list) {
            CertificateID id = req.getCertID();
            Hashes ours = issuer.get(id.getHashAlgOID());
            if (ours == null || !Arrays.equals(ours.name(), id.getIssuerNameHash())
                    || !Arrays.equals(ours.key(), id.getIssuerKeyHash())) {
                return UNAUTHORIZED; // RFC 5019 section 2.2.3: not a certificate this responder is authoritative for
            }
        }
        if (gen == null || !now.isBefore(gen.crl().nextUpdate()) || !now.isBefore(gen.signer().notAfter())) {
            return TRY_LATER; // no current CRL or no valid signer: nothing trustworthy to say
        }
        Answer answer;
        try {
            answer = sign(gen, list, nonce, now);
        } catch (StatusLookup.UnavailableException e) {
            return TRY_LATER;
        }
        if (nonce == null && answer.successful() && gen.cache().size() < CACHE_CAPACITY) {
            Instant staleAt = answer.thisUpdate().plus(validity.dividedBy(2));
            gen.cache().put(key, new Entry(answer, staleAt.isBefore(answer.nextUpdate()) ? staleAt : answer.nextUpdate()));
        }
        return answer;
    }

    /** RFC 8954 section 2.1: Nonce ::= OCTET STRING (SIZE(1..32)), itself inside the extension's OCTET STRING. */
    private static boolean nonceAcceptable(Extension nonce) {
        byte[] value = nonce.getExtnValue().getOctets();
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(value);
            if (inner instanceof ASN1OctetString octets) {
                int length = octets.getOctets().length;
                return length >= 1 && length <= MAX_NONCE;
            }
        } catch (IOException | RuntimeException notWrapped) {
            // Some old clients put the raw nonce in the extension: judge its own length.
        }
        return value.length >= 1 && value.length <= MAX_NONCE;
    }

    private Answer sign(Generation gen, Req[] list, Extension nonce, Instant now) throws StatusLookup.UnavailableException {
        Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS);
        Instant nextUpdate = min(thisUpdate.plus(validity), gen.crl().nextUpdate(), gen.signer().notAfter());
        List<CertificateStatus> statuses = new ArrayList<>(list.length);
        for (Req req : list) {
            statuses.add(certStatus(lookup.status(req.getCertID().getSerialNumber(), gen.crl())));
        }
        DelegatedSigner.Identity identity = gen.signer();
        try {
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(gen.responderId());
            for (int i = 0; i < list.length; i++) {
                builder.addResponse(list[i].getCertID(), statuses.get(i), Date.from(thisUpdate), Date.from(nextUpdate));
            }
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(new Extension(
                        OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, nonce.getExtnValue())));
            }
            // The signer's certificate goes along (RFC 6960 section 4.2.2.2): clients have only the CA's.
            byte[] der = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(identity.key()),
                    new X509CertificateHolder[] {identity.certificate()}, Date.from(now))).getEncoded();
            return new Answer(der, thisUpdate, nextUpdate);
        } catch (OCSPException | OperatorCreationException | IOException e) {
            LOG.error("cannot sign an OCSP response", e);
            return INTERNAL_ERROR;
        }
    }

    private static CertificateStatus certStatus(StatusLookup.Status status) {
        return switch (status.kind()) {
            case GOOD -> CertificateStatus.GOOD;
            case REVOKED -> new RevokedStatus(Date.from(status.revokedAt()), Math.max(0, status.reason()));
            case UNKNOWN -> new UnknownStatus();
        };
    }

    /** The generation of the CRL and signer in force, a new one (empty cache) when either changed. */
    private Generation generation() {
        CrlSnapshot current = crl.get();
        DelegatedSigner.Identity identity = signer.current();
        if (current == null || identity == null) {
            return null;
        }
        Generation gen = generation.get();
        while (gen == null || gen.crl() != current || gen.signer() != identity) {
            Generation next = new Generation(current, identity, responderId(identity), new ConcurrentHashMap<>());
            if (generation.compareAndSet(gen, next)) {
                if (gen != null) {
                    retired.set(gen.cache());
                }
                return next;
            }
            gen = generation.get();
        }
        return gen;
    }

    /**
     * Signs again, for the CRL and signer now in force, the responses the previous generation held, so
     * the first requests after a new CRL find them ready ("pre-signed from the CRL").
     *
     * @return how many responses were signed
     */
    public int presign() {
        Generation gen = generation();
        ConcurrentHashMap<Key, Entry> old = retired.getAndSet(null);
        if (gen == null || old == null) {
            return 0;
        }
        int signed = 0;
        for (Key key : List.copyOf(old.keySet())) {
            if (generation.get() != gen) {
                break; // yet another CRL meanwhile: its own presign takes over
            }
            if (gen.cache().containsKey(key)) {
                continue;
            }
            answer(key.der());
            signed++;
        }
        presigned.add(signed);
        return signed;
    }

    /** RFC 6960 section 4.2.2.3 / RFC 5019 section 2.2.2: the responder is named by its key's SHA-1 hash. */
    private static RespID responderId(DelegatedSigner.Identity identity) {
        try {
            return new RespID(identity.certificate().getSubjectPublicKeyInfo(),
                    new BcDigestCalculatorProvider().get(RespID.HASH_SHA1));
        } catch (OCSPException | OperatorCreationException e) {
            throw new IllegalStateException("cannot hash the OCSP signer's key", e);
        }
    }

    private static Instant min(Instant a, Instant b, Instant c) {
        Instant m = a.isBefore(b) ? a : b;
        return m.isBefore(c) ? m : c;
    }

    private static Answer error(int status) {
        try {
            return new Answer(new OCSPRespBuilder().build(status, null).getEncoded(), null, null);
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot encode an OCSP error response", e);
        }
    }

    public long servedCount() {
        return served.sum();
    }

    public long cacheHitCount() {
        return fromCache.sum();
    }

    /** Responses signed ahead of requests when a new CRL or signer came into force. */
    public long presignedCount() {
        return presigned.sum();
    }

    public long refusedCount() {
        return refused.sum();
    }

    public long caLookupCount() {
        return lookup.caLookupCount();
    }
}
