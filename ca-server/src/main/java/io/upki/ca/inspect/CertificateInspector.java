package io.upki.ca.inspect;

import io.upki.ca.authority.CaGenerations;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.store.CertificateRecord;
import io.upki.ca.store.CertificateRepository;
import io.upki.ca.store.CertificateSearch;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.CertificatePage;
import io.upki.pki.wire.CertificateStatus;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.SubjectAltName;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.X509CertificateHolder;

/** Builds uPKI's certificate views and status answers from stored records. */
public final class CertificateInspector {
    private static final Map<String, String> ATTRIBUTE_NAMES = Map.of(
            "C", "countryName", "ST", "stateOrProvinceName", "L", "localityName", "O", "organizationName",
            "OU", "organizationalUnitName", "CN", "commonName", "E", "emailAddress");
    private static final String[] KEY_USAGE_NAMES = {"digital_signature", "content_commitment", "key_encipherment",
        "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"};

    private final CaGenerations generations;
    private final CertificateRepository certificates;
    private final Clock clock;

    public CertificateInspector(CertificateAuthority ca, CertificateRepository certificates, Clock clock) {
        this(CaGenerations.single(ca), certificates, clock);
    }

    /** Recognises the certificates of every live issuing-key generation. */
    public CertificateInspector(CaGenerations generations, CertificateRepository certificates, Clock clock) {
        this.generations = generations;
        this.certificates = certificates;
        this.clock = clock;
    }

    /** ISO 8601 with an explicit UTC offset, as Python's {@code datetime.isoformat()} writes it. */
    public static String isoTime(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .replace("Z", "+00:00");
    }

    public CertificateView view(CertificateRecord record) {
        X509Certificate cert = certificate(record.der());
        Instant now = clock.instant();
        boolean[] ku = cert.getKeyUsage();
        Map<String, Boolean> keyUsage = new LinkedHashMap<>();
        if (ku != null) {
            for (int i = 0; i < KEY_USAGE_NAMES.length && i < 9; i++) {
                keyUsage.put(KEY_USAGE_NAMES[i], i < ku.length && ku[i]);
            }
        }
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage() == null ? List.of() : cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            eku = List.of();
        }
        int pathLen = cert.getBasicConstraints();
        boolean isCa = pathLen >= 0;
        boolean valid = !record.revoked() && !now.isBefore(record.notBefore()) && !now.isAfter(record.notAfter());
        return new CertificateView(
                attributes(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded())),
                attributes(X500Name.getInstance(cert.getIssuerX500Principal().getEncoded())),
                record.subjectDn(),
                record.serial(),
                record.fingerprint(),
                isoTime(record.notBefore()),
                isoTime(record.notAfter()),
                sans(cert),
                keyUsage,
                eku.stream().map(CertificateInspector::ekuName).toList(),
                new CertificateView.BasicConstraints(isCa, isCa && pathLen != Integer.MAX_VALUE ? pathLen : null),
                isCa,
                valid,
                record.revoked(),
                record.revoked() ? record.revocationReason().wireName() : null,
                record.revoked() ? isoTime(record.revokedAt()) : null,
                record.profile(),
                record.serial(),
                state(record, now),
                Pem.encode(cert));
    }

    /** The status of a presented certificate: unknown unless this CA issued it and has it stored. */
    public CertificateStatus status(String certificatePem) {
        X509Certificate cert;
        try {
            cert = Pem.parseCertificate(certificatePem);
        } catch (IllegalArgumentException e) {
            throw new CaProtocolException(CaErrorCode.CERTIFICATE, "Failed to load certificate: " + e.getMessage());
        }
        String cn = DistinguishedNames.commonName(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()));
        try {
            CaGenerations.Generation g = generations.forIssuer(
                    X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()));
            if (g == null) {
                return new CertificateStatus("unknown", cert.getSerialNumber(), cn, null, null);
            }
            cert.verify(g.ca().certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return new CertificateStatus("unknown", cert.getSerialNumber(), cn, null, null);
        }
        CertificateRecord record = certificates.findBySerial(cert.getSerialNumber()).orElse(null);
        if (record == null) {
            return new CertificateStatus("unknown", cert.getSerialNumber(), cn, null, null);
        }
        return status(record, cn);
    }

    /**
     * The status of the certificate with this serial, as upki-ra asks for it: unknown when this CA holds
     * no certificate with that serial.
     */
    public CertificateStatus status(BigInteger serial) {
        return certificates.findBySerial(serial).map(record -> status(record, record.commonName()))
                .orElseGet(() -> new CertificateStatus("unknown", serial, null, null, null));
    }

    private CertificateStatus status(CertificateRecord record, String cn) {
        if (record.revoked()) {
            return new CertificateStatus("revoked", record.serial(), cn, record.revocationReason().wireName(),
                    isoTime(record.revokedAt()));
        }
        if (record.expiredAt(clock.instant())) {
            return new CertificateStatus("expired", record.serial(), cn, null, null);
        }
        return new CertificateStatus("good", record.serial(), cn, null, null);
    }

    /** The state list_nodes, get_node and view report: revoked first, then expired, else valid. */
    private static String state(CertificateRecord record, Instant now) {
        return record.revoked() ? "revoked" : record.expiredAt(now) ? "expired" : "valid";
    }

    public NodeRecord node(CertificateRecord record) {
        return new NodeRecord(record.subjectDn(), record.commonName(), record.profile(),
                state(record, clock.instant()), record.serial(),
                sans(certificate(record.der())), isoTime(record.notAfter()));
    }

    public List<NodeRecord> nodes(int offset, int limit) {
        return certificates.list(offset, limit).stream().map(this::node).toList();
    }

    /** One page of the certificates a filtered {@code list_nodes} names, filtered and counted by the store. */
    public CertificatePage page(NodeQuery query) {
        Instant now = clock.instant();
        CertificateSearch search = new CertificateSearch(query.text(), serials(query.text()), query.cn(),
                query.profile(), query.state() == null ? null : CertificateSearch.State.valueOf(
                        query.state().toUpperCase(java.util.Locale.ROOT)), query.expiringBefore(), now);
        List<NodeRecord> items = certificates.search(search, query.offset(), query.limit()).stream()
                .map(this::node).toList();
        return new CertificatePage(items, certificates.count(search), query.offset(), query.limit());
    }

    /** The serials a search text may name: decimal, {@code 0x} hex, or hex with or without colons. */
    static List<BigInteger> serials(String text) {
        if (text == null) {
            return List.of();
        }
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        List<BigInteger> out = new ArrayList<>();
        if (t.matches("[0-9]{1,60}")) {
            out.add(new BigInteger(t));
        }
        String hex = t.startsWith("0x") ? t.substring(2) : t.replace(":", "");
        if (hex.matches("[0-9a-f]{1,50}")) {
            BigInteger h = new BigInteger(hex, 16);
            if (!out.contains(h)) {
                out.add(h);
            }
        }
        return out.stream().filter(s -> s.signum() > 0).toList();
    }

    private static Map<String, String> attributes(X500Name name) {
        Map<String, String> map = new LinkedHashMap<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String symbol = BCStyle.INSTANCE.oidToDisplayName(atv.getType());
                String key = symbol == null ? atv.getType().getId()
                        : ATTRIBUTE_NAMES.getOrDefault(symbol.toUpperCase(), symbol);
                map.put(key, DistinguishedNames.valueText(atv.getValue()));
            }
        }
        return map;
    }

    static List<SubjectAltName> sans(X509Certificate cert) {
        List<SubjectAltName> result = new ArrayList<>();
        Collection<List<?>> names;
        try {
            names = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return result;
        }
        if (names == null) {
            return result;
        }
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            String value = String.valueOf(name.get(1));
            switch (type) {
                case 1 -> result.add(new SubjectAltName("EMAIL", value));
                case 2 -> result.add(new SubjectAltName("DNS", value));
                case 6 -> result.add(new SubjectAltName("URI", value));
                case 7 -> result.add(new SubjectAltName("IP", value));
                default -> {
                    // other name forms are not part of uPKI's vocabulary
                }
            }
        }
        return result;
    }

    private static String ekuName(String oid) {
        return switch (oid) {
            case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
            case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
            case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
            case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
            case "1.3.6.1.5.5.7.3.8" -> "timeStamping";
            case "1.3.6.1.5.5.7.3.9" -> "OCSPSigning";
            default -> oid;
        };
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return new JcaX509CertificateConverter().getCertificate(new X509CertificateHolder(der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("stored certificate cannot be parsed", e);
        }
    }
}
