package io.upki.ca.root;

import io.upki.ca.authority.CaCertificates;
import io.upki.ca.keys.CaKey;
import io.upki.ca.keys.CaKeys;
import io.upki.ca.keys.Pkcs11Settings;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * An offline root's directory: {@code root.key} (0600, or the key in a PKCS#11 token), {@code root.crt},
 * every intermediate it signed ({@code issued/SERIAL.crt}), its revocations ({@code revoked.txt}),
 * the CRL number ({@code crlnumber}) and the latest CRL ({@code root.crl}, DER).
 */
public final class RootCa {
    /** Usages an intermediate may not ask for: it signs certificates, CRLs and (digitalSignature) OCSP answers. */
    private static final List<Integer> DISALLOWED_KEY_USAGES = List.of(KeyUsage.nonRepudiation, KeyUsage.keyEncipherment,
            KeyUsage.dataEncipherment, KeyUsage.keyAgreement, KeyUsage.encipherOnly, KeyUsage.decipherOnly);

    private final Path dir;
    private final Clock clock;
    private final SecureRandom random;

    public RootCa(Path dir, Clock clock, SecureRandom random) {
        this.dir = dir;
        this.clock = clock;
        this.random = random;
    }

    public Path key() {
        return dir.resolve("root.key");
    }

    public Path certificate() {
        return dir.resolve("root.crt");
    }

    public Path crl() {
        return dir.resolve("root.crl");
    }

    Path issued() {
        return dir.resolve("issued");
    }

    Path revoked() {
        return dir.resolve("revoked.txt");
    }

    Path crlNumber() {
        return dir.resolve("crlnumber");
    }

    /** Makes the root key and its self-signed certificate; refuses a directory that already holds a root. */
    public X509CertificateHolder init(String keyType, String commonName, int days, int pathLen, char[] passphrase,
                                      Pkcs11Settings pkcs11) throws IOException {
        if (Files.exists(certificate()) || Files.exists(key())) {
            throw new IllegalStateException("a root already exists in " + dir + "; refusing to overwrite it");
        }
        if (days < 1 || pathLen < 0) {
            throw new IllegalArgumentException("--days must be at least 1 and --path-len at least 0");
        }
        AtomicFiles.privateDirectory(dir);
        CaKeys.NewKey key = CaKeys.generate(keyType, key(), pkcs11, passphrase, random);
        X500Name subject = new X500Name(new org.bouncycastle.asn1.x500.RDN[] {
                new org.bouncycastle.asn1.x500.RDN(BCStyle.O, new org.bouncycastle.asn1.DERUTF8String("uPKI")),
                new org.bouncycastle.asn1.x500.RDN(BCStyle.CN, new org.bouncycastle.asn1.DERUTF8String(commonName))});
        X509CertificateHolder root = CaCertificates.selfSigned(key.signing(), key.publicKey(), subject, days, pathLen,
                clock, random);
        key.keep(root);
        Files.writeString(crlNumber(), "0\n", StandardCharsets.US_ASCII);
        AtomicFiles.writePublic(certificate(), Pem.encode(root).getBytes(StandardCharsets.US_ASCII));
        return root;
    }

    /**
     * Signs an intermediate from its CSR.
     *
     * @param pathLen the intermediate's path length constraint, below the root's
     * @throws IllegalArgumentException for a CSR that is not signed by its key, or asks for more than the root allows
     */
    public X509CertificateHolder sign(PKCS10CertificationRequest csr, int days, int pathLen, String crlUrl,
                                      String caIssuersUrl, CaKey rootKey) throws IOException {
        X509Certificate root = loadCertificate();
        checkRootValid(root);
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(
                    new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo())))) {
                throw new IllegalArgumentException("--csr: the request's signature does not verify (not signed by its key)");
            }
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.pkcs.PKCSException
                 | org.bouncycastle.openssl.PEMException e) {
            throw new IllegalArgumentException("--csr: cannot verify the request's signature: " + e.getMessage(), e);
        }
        int rootPathLen = root.getBasicConstraints();
        if (pathLen < 0 || rootPathLen != Integer.MAX_VALUE && pathLen >= rootPathLen) {
            throw new IllegalArgumentException("--path-len " + pathLen + ": the root allows intermediates a path length of at most "
                    + (rootPathLen - 1) + " (its own is " + rootPathLen + ")");
        }
        checkRequestedExtensions(csr, rootPathLen);
        if (days < 1) {
            throw new IllegalArgumentException("--days must be at least 1");
        }
        X509CertificateHolder cert = CaCertificates.intermediate(root, rootKey, csr.getSubjectPublicKeyInfo(),
                csr.getSubject(), days, pathLen, crlUrl, caIssuersUrl, clock, random);
        Files.createDirectories(issued());
        AtomicFiles.writePublic(issued().resolve(cert.getSerialNumber().toString(16) + ".crt"),
                Pem.encode(cert).getBytes(StandardCharsets.US_ASCII));
        return cert;
    }

    /** RFC 2986 extensionRequest: a CSR asking for a longer path or other usages than a CA's is refused, not trimmed. */
    private static void checkRequestedExtensions(PKCS10CertificationRequest csr, int rootPathLen) {
        for (var attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttrValues()) {
                Extensions ext = Extensions.getInstance(value);
                BasicConstraints bc = BasicConstraints.fromExtensions(ext);
                if (bc != null && bc.getPathLenConstraint() != null && rootPathLen != Integer.MAX_VALUE
                        && bc.getPathLenConstraint().intValue() >= rootPathLen) {
                    throw new IllegalArgumentException("--csr asks for path length " + bc.getPathLenConstraint()
                            + " but the root allows at most " + (rootPathLen - 1));
                }
                KeyUsage ku = KeyUsage.fromExtensions(ext);
                if (ku != null && DISALLOWED_KEY_USAGES.stream().anyMatch(ku::hasUsages)) {
                    throw new IllegalArgumentException("--csr asks for key usages beyond keyCertSign, cRLSign and "
                            + "digitalSignature, which an intermediate is not given");
                }
                if (ext.getExtension(Extension.extendedKeyUsage) != null) {
                    throw new IllegalArgumentException("--csr asks for extended key usages, which this root does not "
                            + "put in an intermediate");
                }
            }
        }
    }

    /** Records the revocation of an intermediate this root signed; the next {@link #crl} lists it. */
    public BigInteger revoke(X509Certificate intermediate, RevocationReason reason) throws IOException {
        X509Certificate root = loadCertificate();
        try {
            intermediate.verify(root.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("--cert: not signed by this root", e);
        }
        BigInteger serial = intermediate.getSerialNumber();
        for (Revoked r : revocations()) {
            if (r.serial().equals(serial)) {
                throw new IllegalStateException("serial " + serial.toString(16) + " is already revoked");
            }
        }
        List<String> lines = new ArrayList<>(Files.exists(revoked()) ? Files.readAllLines(revoked()) : List.of());
        lines.add(serial.toString(16) + " " + clock.instant().getEpochSecond() + " " + reason.wireName());
        AtomicFiles.writePublic(revoked(), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII));
        return serial;
    }

    record Revoked(BigInteger serial, Instant at, RevocationReason reason) {
    }

    List<Revoked> revocations() throws IOException {
        List<Revoked> out = new ArrayList<>();
        if (!Files.exists(revoked())) {
            return out;
        }
        for (String line : Files.readAllLines(revoked())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split(" ");
            out.add(new Revoked(new BigInteger(f[0], 16), Instant.ofEpochSecond(Long.parseLong(f[1])),
                    RevocationReason.fromWireName(f[2]).orElse(RevocationReason.UNSPECIFIED)));
        }
        return out;
    }

    /** Signs the next root CRL (RFC 5280 section 5), valid {@code validity}, and writes it to {@code root.crl}. */
    public X509CRLHolder crl(Duration validity, CaKey rootKey) throws IOException {
        X509Certificate root = loadCertificate();
        checkRootValid(root);
        BigInteger number = new BigInteger(Files.readString(crlNumber(), StandardCharsets.US_ASCII).strip()).add(BigInteger.ONE);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(new JcaX509CertificateHolder(root).getSubject(), Date.from(now));
            b.setNextUpdate(Date.from(now.plus(validity)));
            for (Revoked r : revocations()) {
                b.addCRLEntry(r.serial(), Date.from(r.at()), r.reason().code());
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils()
                    .createAuthorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(root.getPublicKey().getEncoded())));
            X509CRLHolder crl = b.build(rootKey.contentSigner(CaCertificates.algorithm(rootKey)));
            AtomicFiles.writePublic(crl(), crl.getEncoded());
            AtomicFiles.writePublic(crlNumber(), (number + "\n").getBytes(StandardCharsets.US_ASCII));
            return crl;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the root CRL: " + e.getMessage(), e);
        }
    }

    public X509Certificate loadCertificate() throws IOException {
        if (!Files.exists(certificate())) {
            throw new IllegalStateException("no root in " + dir + ": run 'upki root init --dir " + dir + "' first");
        }
        return Pem.parseCertificate(Files.readString(certificate(), StandardCharsets.US_ASCII));
    }

    /** The root key, checked against root.crt. */
    public CaKey loadKey(char[] passphrase, Pkcs11Settings pkcs11) throws IOException {
        X509Certificate root = loadCertificate();
        CaKey key = CaKeys.load(key(), passphrase, pkcs11);
        try {
            java.security.Signature s = key.signature(CaCertificates.algorithm(key));
            byte[] probe = "upki root key check".getBytes(StandardCharsets.US_ASCII);
            s.update(probe);
            java.security.Signature v = java.security.Signature.getInstance(CaCertificates.algorithm(key));
            v.initVerify(root.getPublicKey());
            v.update(probe);
            if (!v.verify(s.sign())) {
                throw new IllegalStateException("the root key (" + key.where() + ") does not belong to " + certificate());
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the root key (" + key.where() + ") cannot sign: " + e.getMessage(), e);
        }
        return key;
    }

    private void checkRootValid(X509Certificate root) {
        try {
            root.checkValidity(Date.from(clock.instant()));
        } catch (java.security.cert.CertificateExpiredException | java.security.cert.CertificateNotYetValidException e) {
            throw new IllegalStateException("the root certificate is not valid now (valid until "
                    + root.getNotAfter().toInstant() + "); make a new root", e);
        }
    }

    static X509Certificate toX509(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
