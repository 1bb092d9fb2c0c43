package io.upki.ca.rollover;

import io.upki.ca.authority.CaFiles;
import io.upki.ca.keys.Pkcs11Options;
import io.upki.ca.keys.Pkcs11Settings;
import io.upki.pki.x509.CertificateFacts;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ca-server rollover}: the next issuing key and its request, then ({@code --install}) the switch to it. */
@Command(name = "rollover", mixinStandardHelpOptions = true,
        description = {"Roll a two-tier CA over to a new issuing key without downtime: without --install, make the",
                "next key (file 0600, or in the PKCS#11 token under a new --pkcs11-key) and next/ca.csr for the",
                "offline root; with --install --cert, switch to the certificate the root signed. A running CA",
                "takes it over within a second; the earlier key keeps signing its CRL until its last certificate expires."})
public final class RolloverCommand implements Callable<Integer> {
    @CommandLine.Mixin
    io.upki.ca.authority.DataDirOptions data;

    @Option(names = "--install", description = "Install the certificate the root signed for next/ca.csr (with --cert).")
    boolean install;

    @Option(names = "--cert", description = "With --install: the next generation's certificate (PEM) signed by the root.")
    Path cert;

    @Option(names = "--key-type", description = "rsa or ec for the next key (default: the present key's type).")
    String keyType;

    @Option(names = "--passphrase-file",
            description = "File holding the passphrase that encrypts the next key file (or env UPKI_CA_PASSPHRASE); "
                    + "use the CA's own, which start reads every generation's key with.")
    Path passphraseFile;

    @Option(names = "--pkcs11-previous-key",
            description = "Token label of the present key when it is in a PKCS#11 token and no rollover recorded it yet.")
    String previousKey;

    @CommandLine.Mixin
    Pkcs11Options pkcs11;

    @Override
    public Integer call() throws IOException, java.security.cert.CertificateEncodingException {
        CaFiles files = data.files();
        Rollover rollover = new Rollover(Clock.systemUTC(), new SecureRandom());
        if (install) {
            if (cert == null) {
                throw new IllegalArgumentException("--install needs --cert next.crt");
            }
            String pem;
            try {
                pem = Files.readString(cert, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException("--cert: cannot read " + cert + ": " + e.getMessage(), e);
            }
            int generation = rollover.install(files, pem);
            var installed = Pem.parseCertificate(pem);
            System.out.println("CA generation " + generation + " installed in " + files.dataDir().toAbsolutePath());
            System.out.println("  subject: " + installed.getSubjectX500Principal().getName());
            System.out.println("  sha256:  " + CertificateFacts.sha256Fingerprint(installed.getEncoded()));
            System.out.println("  earlier: " + files.generations() + " (each keeps signing its CRL)");
            System.out.println("  a running CA signs with it within a second; no restart needed");
            return 0;
        }
        if (cert != null) {
            throw new IllegalArgumentException("--cert goes with --install");
        }
        Pkcs11Settings token = pkcs11.settings();
        Rollover.Prepared p = rollover.prepare(files, keyType, passphrase(), token, previousKey);
        System.out.println("next CA key (generation " + p.generation() + ") made in " + (token == null
                ? files.next().resolve("ca.key").toString()
                : "PKCS#11 token '" + token.token() + "' (key '" + token.key() + "')"));
        System.out.println("  subject:  " + p.subject());
        System.out.println("  request:  " + p.csr());
        System.out.println("  next:     bin/upki root sign --dir ROOT --csr " + p.csr() + " --out next.crt");
        System.out.println("            bin/upki ca-server rollover --data-dir " + files.dataDir() + " --install --cert next.crt");
        return 0;
    }

    private char[] passphrase() throws IOException {
        return io.upki.ca.keys.Passphrase.read(passphraseFile, "UPKI_CA_PASSPHRASE");
    }
}
