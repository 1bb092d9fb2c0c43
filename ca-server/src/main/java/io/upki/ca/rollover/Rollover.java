package io.upki.ca.rollover;

import io.upki.ca.authority.CaCertificates;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.ChainCheck;
import io.upki.ca.authority.GenerationFiles;
import io.upki.ca.keys.CaKeys;
import io.upki.ca.keys.Pkcs11Settings;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A two-tier CA's key rollover (docs/KEYS.md): {@link #prepare} makes the next issuing key and its
 * request, {@link #install} checks the certificate the offline root signed for it and switches the CA to
 * it, keeping the present generation in {@code generations/N}. Each refusal is one line and writes nothing.
 */
public final class Rollover {
    private final Clock clock;
    private final SecureRandom random;

    public Rollover(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** What {@link #prepare} made: the request and the subject the next generation will carry. */
    public record Prepared(Path csr, X500Name subject, int generation) {
    }

    /**
     * @param keyType rsa or ec, or null for the present key's type
     * @param pkcs11 the token and the label for the new key, or null for a file key ({@code next/ca.key}, 0600)
     * @param previousLabel the token label of the present key when it is in a token and the data directory
     *                      does not record it yet, else null
     */
    public Prepared prepare(CaFiles files, String keyType, char[] passphrase, Pkcs11Settings pkcs11,
                            String previousLabel) throws IOException {
        X509Certificate present = presentTwoTier(files);
        if (Files.exists(files.next().resolve("ca.key")) || Files.exists(files.next().resolve(GenerationFiles.NEXT_KEY_LABEL))
                || GenerationFiles.switchPending(files)) {
            throw new IllegalStateException("a rollover is already pending in " + files.next() + ": install its "
                    + "certificate with 'upki ca-server rollover --install --cert next.crt' first");
        }
        boolean presentInToken = !Files.exists(files.caKey());
        String recorded = GenerationFiles.currentKeyLabel(files, null);
        if (presentInToken && recorded == null && (previousLabel == null || previousLabel.isBlank())) {
            throw new IllegalStateException("the present CA key is in a PKCS#11 token: name its label with "
                    + "--pkcs11-previous-key so that it can keep signing its CRL after the rollover");
        }
        String type = keyType != null ? keyType : "RSA".equals(present.getPublicKey().getAlgorithm()) ? "rsa" : "ec";
        int generation = GenerationFiles.currentNumber(files) + 1;
        X500Name subject = nextSubject(X500Name.getInstance(present.getSubjectX500Principal().getEncoded()), generation);
        AtomicFiles.privateDirectory(files.next());
        try {
            CaKeys.NewKey key = CaKeys.generate(type, files.next().resolve("ca.key"), pkcs11, passphrase, random);
            PKCS10CertificationRequest csr = CaCertificates.request(key.signing(), key.publicKey(), subject);
            // A token finds its key through a certificate: a self-signed placeholder until the root signs.
            key.keep(CaCertificates.selfSigned(key.signing(), key.publicKey(), subject, 1, 0, clock, random));
            if (pkcs11 != null) {
                AtomicFiles.writePublic(files.next().resolve(GenerationFiles.NEXT_KEY_LABEL),
                        (pkcs11.key() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (presentInToken) {
                AtomicFiles.writePublic(files.next().resolve(GenerationFiles.PREVIOUS_KEY_LABEL),
                        ((recorded != null ? recorded : previousLabel.strip()) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            // The request last: its presence marks a complete preparation.
            AtomicFiles.writePublic(files.next().resolve("ca.csr"), Pem.encode(csr).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            deleteNext(files);
            throw e;
        }
        return new Prepared(files.next().resolve("ca.csr"), subject, generation);
    }

    /**
     * Checks the certificate the root signed for {@code next/ca.csr} (same key, chain to the same root,
     * a subject of its own) and makes it the CA's.
     *
     * @return the new generation's number
     */
    public int install(CaFiles files, String certificatePem) throws IOException {
        X509Certificate present = presentTwoTier(files);
        X509Certificate next = Pem.parseCertificate(certificatePem);
        if (next.equals(present) || GenerationFiles.archived(files).stream().anyMatch(n -> sameAs(files, n, next))) {
            throw new IllegalStateException("--cert: this certificate is already installed (generation "
                    + GenerationFiles.currentNumber(files) + " is current); nothing to do");
        }
        Path csrFile = files.next().resolve("ca.csr");
        if (!Files.exists(csrFile)) {
            throw new IllegalStateException("no rollover pending in " + files.dataDir()
                    + ": run 'upki ca-server rollover --data-dir " + files.dataDir() + "' first");
        }
        PKCS10CertificationRequest csr = Pem.parseCsr(Files.readString(csrFile, StandardCharsets.US_ASCII));
        if (!Arrays.equals(csr.getSubjectPublicKeyInfo().getEncoded(), next.getPublicKey().getEncoded())) {
            throw new IllegalStateException("--cert: the certificate does not match the next key (" + csrFile
                    + " names another public key)");
        }
        List<X509Certificate> chain = Pem.parseCertificates(Files.readString(files.chain(), StandardCharsets.US_ASCII));
        // The same root as the present generation: relying parties keep their one trust anchor.
        ChainCheck.verify(next, chain, clock.instant());
        if (next.getSubjectX500Principal().equals(present.getSubjectX500Principal())) {
            throw new IllegalStateException("--cert: its subject is the present CA's (" + present.getSubjectX500Principal()
                    + "); each generation needs its own so that relying parties tell their CRLs apart");
        }
        AtomicFiles.writePublic(files.next().resolve("ca.crt"), Pem.encode(next).getBytes(StandardCharsets.US_ASCII));
        return GenerationFiles.finishSwitch(files);
    }

    private static boolean sameAs(CaFiles files, int generation, X509Certificate cert) {
        try {
            return cert.equals(Pem.parseCertificate(Files.readString(files.generation(generation).resolve("ca.crt"),
                    StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            return false;
        }
    }

    /** The installed CA's certificate, refusing a CA that is missing or self-signed (one tier). */
    private static X509Certificate presentTwoTier(CaFiles files) throws IOException {
        if (!Files.exists(files.caCertificate())) {
            throw new IllegalStateException("no installed CA in " + files.dataDir() + ": run 'upki ca-server init' first");
        }
        X509Certificate present = Pem.parseCertificate(Files.readString(files.caCertificate(), StandardCharsets.US_ASCII));
        if (present.getSubjectX500Principal().equals(present.getIssuerX500Principal()) || !Files.exists(files.chain())) {
            throw new IllegalStateException("rollover needs a two-tier CA (an intermediate under an offline root); "
                    + "this CA is self-signed: its key is the trust anchor itself (see docs/KEYS.md, Rollover)");
        }
        return present;
    }

    /** The present subject with its CN ending in " G{generation}" (replacing an earlier " G{n}"). */
    static X500Name nextSubject(X500Name present, int generation) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        boolean cn = false;
        for (RDN rdn : present.getRDNs()) {
            AttributeTypeAndValue first = rdn.getFirst();
            if (!rdn.isMultiValued() && BCStyle.CN.equals(first.getType())) {
                String value = first.getValue() instanceof ASN1String text ? text.getString()
                        : IETFUtils.valueToString(first.getValue());
                String base = value.replaceAll(" G[0-9]+$", "");
                b.addRDN(BCStyle.CN, base + " G" + generation);
                cn = true;
            } else {
                b.addMultiValuedRDN(rdn.getTypesAndValues());
            }
        }
        if (!cn) {
            b.addRDN(BCStyle.CN, "uPKI Issuing CA G" + generation);
        }
        return b.build();
    }

    private static void deleteNext(CaFiles files) {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(files.next())) {
            for (Path f : left) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(files.next());
        } catch (IOException ignored) {
            // best effort: the refusal is what the operator needs to read
        }
    }
}
