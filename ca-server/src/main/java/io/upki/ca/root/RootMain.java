package io.upki.ca.root;

import io.upki.ca.keys.Pkcs11Options;
import io.upki.pki.process.ProcessRunner;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code upki root}: the offline root's ceremony commands; it never listens on any port. */
@Command(name = "root", mixinStandardHelpOptions = true, versionProvider = io.upki.pki.options.ProcessVersion.class,
        description = "The offline root CA: makes its key, signs intermediates and its CRL. It never runs as a server;"
                + " keep its directory (or token) off the network.",
        subcommands = {RootMain.Init.class, RootMain.Sign.class, RootMain.Revoke.class, RootMain.Crl.class})
public final class RootMain implements Callable<Integer> {

    /** The root directory and how to reach its key. */
    static class Common {
        @Option(names = "--dir", required = true, description = "The root's directory (root.crt, root.key 0600, root.crl).")
        Path dir;

        @Option(names = "--passphrase-file",
                description = "File holding the root key passphrase (or env UPKI_ROOT_PASSPHRASE).")
        Path passphraseFile;

        @CommandLine.Mixin
        Pkcs11Options pkcs11;

        char[] passphrase() throws IOException {
            return io.upki.ca.keys.Passphrase.read(passphraseFile, "UPKI_ROOT_PASSPHRASE");
        }

        RootCa root() {
            return new RootCa(dir, Clock.systemUTC(), new SecureRandom());
        }
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** {@code root init}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Make the root key (0600 file, passphrase-encrypted with --passphrase-file, or in a PKCS#11 token) "
                    + "and its self-signed certificate root.crt.")
    static final class Init implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--key-type", defaultValue = "rsa", description = "rsa (RSA-4096, default) or ec (P-384).")
        String keyType;

        @Option(names = "--cn", defaultValue = "uPKI Offline Root CA", description = "Common name (default ${DEFAULT-VALUE}).")
        String commonName;

        @Option(names = "--days", defaultValue = "7300", description = "Validity in days (default ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--path-len", defaultValue = "1",
                description = "Path length constraint: 1 (default) lets it sign intermediates that sign leaves only.")
        int pathLen;

        @Override
        public Integer call() throws Exception {
            X509CertificateHolder root = common.root().init(keyType, commonName, days, pathLen, common.passphrase(),
                    common.pkcs11.settings());
            System.out.println("root CA created in " + common.dir.toAbsolutePath());
            System.out.println("  subject:     " + root.getSubject());
            System.out.println("  certificate: " + common.root().certificate() + " (distribute it: the trust anchor)");
            System.out.println("  sha256:      " + CertificateFacts.sha256Fingerprint(root.getEncoded()));
            return 0;
        }
    }

    /** {@code root sign}. */
    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign an intermediate CA's CSR (ca-server init --intermediate writes it).")
    static final class Sign implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--csr", required = true, description = "The intermediate's ca.csr.")
        Path csr;

        @Option(names = "--out", required = true, description = "Where to write the intermediate certificate (PEM; must not exist).")
        Path out;

        @Option(names = "--path-len", defaultValue = "0", description = "The intermediate's path length (default ${DEFAULT-VALUE}).")
        int pathLen;

        @Option(names = "--days", defaultValue = "1825", description = "Validity in days, never past the root's (default ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--crl-url", description = "URL of the root CRL, written as the intermediate's CRL distribution point.")
        String crlUrl;

        @Option(names = "--ca-issuers-url", description = "URL of root.crt, written as the intermediate's AIA caIssuers.")
        String caIssuersUrl;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(out)) {
                throw new IllegalArgumentException("--out: " + out + " already exists");
            }
            RootCa root = common.root();
            X509CertificateHolder cert = root.sign(Pem.parseCsr(Files.readString(csr, StandardCharsets.US_ASCII)), days,
                    pathLen, crlUrl, caIssuersUrl, root.loadKey(common.passphrase(), common.pkcs11.settings()));
            io.upki.pki.files.AtomicFiles.writePublic(out, Pem.encode(cert).getBytes(StandardCharsets.US_ASCII));
            System.out.println("intermediate signed: " + out);
            System.out.println("  subject: " + cert.getSubject());
            System.out.println("  serial:  " + cert.getSerialNumber().toString(16));
            System.out.println("  valid:   " + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant());
            return 0;
        }
    }

    /** {@code root revoke}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Record the revocation of an intermediate; 'root crl' then publishes it.")
    static final class Revoke implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--cert", required = true, description = "The intermediate certificate to revoke.")
        Path cert;

        @Option(names = "--reason", defaultValue = "keyCompromise", description = "RFC 5280 reason (default ${DEFAULT-VALUE}).")
        String reason;

        @Override
        public Integer call() throws Exception {
            RevocationReason r = RevocationReason.fromWireName(reason).orElseThrow(() ->
                    new IllegalArgumentException("--reason: '" + reason + "' is not one of " + RevocationReason.wireNames()));
            var serial = common.root().revoke(Pem.parseCertificate(Files.readString(cert, StandardCharsets.US_ASCII)), r);
            System.out.println("revoked serial " + serial.toString(16) + " (" + r.wireName() + "); run 'upki root crl' to publish");
            return 0;
        }
    }

    /** {@code root crl}. */
    @Command(name = "crl", mixinStandardHelpOptions = true,
            description = "Sign the root's next CRL (root.crl, DER) listing the revoked intermediates; give it to crl-publisher --root-crl.")
    static final class Crl implements Callable<Integer> {
        @CommandLine.Mixin
        Common common;

        @Option(names = "--days", defaultValue = "30", description = "CRL lifetime in days (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            if (days < 1) {
                throw new IllegalArgumentException("--days must be at least 1");
            }
            RootCa root = common.root();
            X509CRLHolder crl = root.crl(Duration.ofDays(days), root.loadKey(common.passphrase(), common.pkcs11.settings()));
            System.out.println("root CRL " + root.crl() + ": number "
                    + org.bouncycastle.asn1.x509.CRLNumber.getInstance(crl.getExtension(
                            org.bouncycastle.asn1.x509.Extension.cRLNumber).getParsedValue()).getCRLNumber()
                    + ", " + crl.getRevokedCertificates().size() + " revoked, next update " + crl.getNextUpdate().toInstant());
            return 0;
        }
    }

    public static void main(String[] args) {
        ProcessRunner.main("upki root", new RootMain(), args);
    }
}
