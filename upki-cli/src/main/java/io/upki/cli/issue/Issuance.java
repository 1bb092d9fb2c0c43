package io.upki.cli.issue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.keys.KeyMaker;
import io.upki.cli.transport.Authority;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.Pem;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * One issuance with a local key: make the key the profile asks for, send only the CSR, check that the
 * answer certifies that key and was signed by the CA, then write the files.
 */
public final class Issuance {
    /** What was issued and where it was written; serialised as the JSON result of {@code generate}. */
    public record Issued(String cn, String profile, BigInteger serial, @JsonProperty("serial_hex") String serialHex,
                         String dn, @JsonProperty("not_after") String notAfter, String key, String certificate,
                         @JsonProperty("ca_certificate") String caCertificate) {
    }

    private final Authority ca;
    private final KeyMaker keys;

    public Issuance(Authority ca, java.security.SecureRandom random) {
        this.ca = ca;
        this.keys = new KeyMaker(random);
    }

    /** Fetches the profile, failing with the CA's reason (e.g. {@code Profile not found}) before any key is made. */
    public ProfileDocument profile(String name) {
        return ca.profile(name);
    }

    public String caCertificate() {
        return ca.caCertificate();
    }

    /**
     * @param sans from {@code --san}; the CN is added as a DNS SAN for server profiles without any
     * @throws CliException REFUSED by the CA, VERIFICATION when the answer is not for our key or CA
     */
    public Issued issue(String cn, String profileName, ProfileDocument profile, List<GeneralName> sans,
                        IdentityFiles files, String caPem, boolean force) {
        KeyPair pair = keys.generate(profile);
        List<GeneralName> names = SubjectNames.withDefaultSan(sans, profile.altnames(), profile.extendedKeyUsage(), cn);
        String csr = keys.csr(pair, SubjectNames.subject(profile.subject(), cn), names, profile.digest());
        SignedCertificate signed = ca.sign(csr, profileName);
        X509Certificate cert = verify(signed.certificate(), pair, caPem);
        files.write(Pem.encodePrivateKey(pair.getPrivate(), null), signed.certificate(), caPem, force);
        return new Issued(cn, profileName, cert.getSerialNumber(), CertificateFacts.serialHex(cert.getSerialNumber()),
                DistinguishedNames.toSlash(CertificateFacts.subject(cert)), cert.getNotAfter().toInstant().toString(),
                files.key().toString(), files.cert().toString(), files.caCert().toString());
    }

    private static X509Certificate verify(String pem, KeyPair pair, String caPem) {
        X509Certificate cert;
        X509Certificate caCert;
        try {
            cert = Pem.parseCertificate(pem);
            caCert = Pem.parseCertificate(caPem);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.VERIFICATION, "the CA's answer is not a certificate: " + e.getMessage());
        }
        if (!cert.getPublicKey().equals(pair.getPublic())) {
            throw new CliException(ExitCode.VERIFICATION, "the issued certificate does not certify the key made here");
        }
        try {
            cert.verify(caCert.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCode.VERIFICATION, "the issued certificate is not signed by the CA certificate "
                    + caCert.getSubjectX500Principal());
        }
        return cert;
    }
}
