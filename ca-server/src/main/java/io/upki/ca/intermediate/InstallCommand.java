package io.upki.ca.intermediate;

import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaInitializer;
import io.upki.ca.authority.DataDirOptions;
import io.upki.ca.keys.Pkcs11Settings;
import io.upki.pki.x509.CertificateFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ca-server install}: completes an intermediate with the certificate the offline root signed. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Install the intermediate certificate the offline root signed for ca.csr, with the chain up to",
                "the root; refuses a certificate for another key or a chain that does not reach a valid root."})
public final class InstallCommand implements Callable<Integer> {
    @Mixin
    DataDirOptions data = new DataDirOptions();

    @Option(names = "--cert", required = true, description = "The intermediate certificate (PEM) signed by the root.")
    Path cert;

    @Option(names = "--chain", required = true,
            description = "The certificates above it up to the root, PEM (usually just root.crt).")
    Path chain;

    @Override
    public Integer call() throws IOException, java.security.cert.CertificateEncodingException {
        CaFiles files = data.files();
        X509Certificate installed = new CaInitializer(Clock.systemUTC(), new SecureRandom()).install(files,
                read(cert, "--cert"), read(chain, "--chain"));
        System.out.println("intermediate CA installed in " + files.dataDir().toAbsolutePath());
        System.out.println("  subject: " + installed.getSubjectX500Principal().getName());
        System.out.println("  issuer:  " + installed.getIssuerX500Principal().getName());
        System.out.println("  sha256:  " + CertificateFacts.sha256Fingerprint(installed.getEncoded()));
        System.out.println("  chain:   " + files.chain());
        return 0;
    }

    private static String read(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code ca-server init --intermediate}: the key (file or token) and ca.csr; prints the next steps. */
    public static int initIntermediate(CaFiles files, String keyType, String seed, char[] passphrase,
                                       Pkcs11Settings pkcs11, String commonName, String crlValidity, String crlUrl)
            throws IOException {
        CaInitializer.IntermediateResult r = new CaInitializer(Clock.systemUTC(), new SecureRandom())
                .initializeIntermediate(files, keyType, seed, passphrase, pkcs11, commonName, crlValidity, crlUrl);
        System.out.println("intermediate CA key made in " + (pkcs11 == null ? files.caKey().toString()
                : "PKCS#11 token '" + pkcs11.token() + "' (key '" + pkcs11.key() + "')"));
        System.out.println("  request:  " + files.caCsr() + " (" + r.csr().getSubject() + ")");
        System.out.println("  next:     bin/upki root sign --dir ROOT --csr " + files.caCsr() + " --out ca.crt");
        System.out.println("            bin/upki ca-server install --data-dir " + files.dataDir() + " --cert ca.crt --chain ROOT/root.crt");
        System.out.println("  CURVE public key (clients' --ca-public-key, also in " + files.curvePublicKey() + "):");
        System.out.println("    " + r.curvePublicKey());
        if (r.seedGenerated()) {
            System.out.println("Registration seed (shown once, keep it secret; RAs need it to register):");
            System.out.println(r.seed());
        } else {
            System.out.println("Registration seed: as given");
        }
        return 0;
    }
}
