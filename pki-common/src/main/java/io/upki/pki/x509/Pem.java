package io.upki.pki.x509;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** PEM (RFC 7468) reading and writing for certificates, CSRs, CRLs and private keys. */
public final class Pem {
    private static final JcaX509CertificateConverter CERTS = new JcaX509CertificateConverter();
    /**
     * PKCS#8 encryption needs "AES/CBC/PKCS7Padding", which the JDK's providers lack; use BouncyCastle's
     * provider directly rather than registering it process-wide.
     */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private Pem() {
    }

    /** Writes one object (certificate, CRL, CSR, key) as PEM, always ending with a newline. */
    public static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes a PKCS#8 private key, encrypted with AES-256-CBC and PBKDF2 when a passphrase is given. */
    public static String encodePrivateKey(PrivateKey key, char[] passphrase) {
        try {
            OutputEncryptor encryptor = null;
            if (passphrase != null && passphrase.length > 0) {
                encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                        .setProvider(BC)
                        .setIterationCount(210_000)
                        .setPassword(passphrase)
                        .build();
            }
            return encode(new JcaPKCS8Generator(key, encryptor));
        } catch (OperatorCreationException | PemGenerationException e) {
            throw new IllegalStateException("cannot encode private key", e);
        }
    }

    /**
     * Reads a private key in PKCS#8 (plain or encrypted) or traditional OpenSSL form.
     *
     * @throws IllegalArgumentException when the text holds no key or the passphrase is wrong
     */
    public static PrivateKey parsePrivateKey(String pem, char[] passphrase) {
        Object object = readFirst(pem);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                if (passphrase == null || passphrase.length == 0) {
                    throw new IllegalArgumentException("the private key is encrypted and no passphrase was given");
                }
                InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(BC)
                        .build(passphrase);
                return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor));
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (PKCSException e) {
            throw new IllegalArgumentException("cannot decrypt the private key (wrong passphrase?)", e);
        } catch (OperatorCreationException | PEMException e) {
            throw new IllegalArgumentException("cannot read the private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no private key in PEM input");
    }

    /** Reads the first certificate. */
    public static X509Certificate parseCertificate(String pem) {
        List<X509Certificate> certs = parseCertificates(pem);
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no certificate in PEM input");
        }
        return certs.get(0);
    }

    /** Reads every certificate of a PEM bundle, in order. */
    public static List<X509Certificate> parseCertificates(String pem) {
        List<X509Certificate> result = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    result.add(CERTS.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read certificate: " + e.getMessage(), e);
        }
        return result;
    }

    /** Reads a PKCS#10 request ({@code CERTIFICATE REQUEST} or {@code NEW CERTIFICATE REQUEST}). */
    public static PKCS10CertificationRequest parseCsr(String pem) {
        Object object = readFirst(pem);
        if (object instanceof PKCS10CertificationRequest csr) {
            return csr;
        }
        throw new IllegalArgumentException("no certificate request in PEM input");
    }

    /** Encodes a CRL as PEM ({@code X509 CRL}). */
    public static String encodeCrl(X509CRL crl) {
        return encode(crl);
    }

    private static Object readFirst(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("empty PEM input");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (o == null) {
                throw new IllegalArgumentException("no PEM object found");
            }
            return o;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }
}
