package io.upki.ca;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.config.CaConfig;
import io.upki.ca.issue.IssuanceService;
import io.upki.pki.audit.AuditTrail;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.wire.SubjectAltName;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ca-server issue}: provisions one service's key and certificate from the store of a CA that is
 * not running, for deployments whose services cannot enrol themselves (Traefik's proxy certificate and
 * the sidecar's TLS certificate in docker-compose's ca-init). Idempotent: a certificate still valid
 * beyond {@code --renew-before} is left alone, so running it on every start renews in time.
 */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issue a service's key (0600) and certificate into --out-dir from the store of a CA that is"
                + " not running, unless a certificate there is still valid beyond --renew-before.",
                "Whoever can write the CA's data directory holds the CA key anyway, so this needs no operator key."})
final class IssueCommand implements Callable<Integer> {
    /** A file name: no separators, no dot segments. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @CommandLine.Mixin
    CaServerMain.Common common;

    @CommandLine.Mixin
    StoreOptions store;

    @Option(names = "--profile", required = true, description = "Profile to issue under, e.g. proxy or server.")
    String profile;

    @Option(names = "--cn", required = true, description = "Common name of the certificate.")
    String cn;

    @Option(names = "--san", paramLabel = "TYPE:VALUE", description = "Subject alternative name (repeatable).")
    List<String> sans = new ArrayList<>();

    @Option(names = "--out-dir", required = true, description = "Where NAME.key (0600), NAME.crt and ca.crt go.")
    Path outDir;

    @Option(names = "--name", required = true, description = "File name stem of the key and certificate.")
    String name;

    @Option(names = "--renew-before", defaultValue = "P30D",
            description = "Reissue when the certificate in --out-dir expires within this (ISO-8601; default ${DEFAULT-VALUE}).")
    Duration renewBefore;

    @Override
    public Integer call() throws Exception {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name: '" + name + "' must be a plain file name");
        }
        CaFiles files = common.data.existing();
        Path crt = outDir.resolve(name + ".crt");
        Path key = outDir.resolve(name + ".key");
        Clock clock = Clock.systemUTC();
        Instant keepUntil = validUntil(crt, key);
        if (keepUntil != null && keepUntil.isAfter(clock.instant().plus(renewBefore))) {
            System.out.println(crt + " is valid until " + keepUntil + ": kept");
            return 0;
        }
        List<SubjectAltName> names = sans.stream().map(SubjectAltName::inferred).toList();
        // Port 0 and loopback: opening the CA binds nothing, it only loads the key, profiles and store.
        CaConfig config = new CaConfig(common.data.dataDir(), "127.0.0.1", 0, 0, 0, CaConfig.DEFAULT_CRL_VALIDITY, null, null);
        IssuanceService.Issued issued;
        try (CaServer ca = CaServer.open(config, io.upki.ca.access.ClientAuth.parse(null, config.host()),
                new io.upki.ca.keys.CaKeyAccess(common.passphrase(), null, null), common.seed(), clock, new SecureRandom(),
                new AuditLog(AuditTrail.logOnly("ca-server", clock)), store.location(files.database()), store.password())) {
            issued = ca.issueWithNewKey(cn, profile, names);
        }
        Files.createDirectories(outDir);
        // Key first, then certificate: a crash in between leaves an old certificate that no longer matches
        // its key, which the next run sees as invalid and replaces.
        AtomicFiles.writeSecret(key, Pem.encodePrivateKey(issued.keyPair().getPrivate(), null).getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writePublic(crt, issued.certificatePem().getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writePublic(outDir.resolve("ca.crt"), Files.readAllBytes(files.caCertificate()));
        System.out.println("issued " + crt + " (serial " + issued.serial().toString(16) + ", profile " + profile + ")");
        return 0;
    }

    /** The notAfter of the certificate in place when it matches the key in place, else null. */
    private static Instant validUntil(Path crt, Path key) {
        if (!Files.exists(crt) || !Files.exists(key)) {
            return null;
        }
        try {
            X509Certificate certificate = Pem.parseCertificate(Files.readString(crt, StandardCharsets.US_ASCII));
            PrivateKey privateKey = Pem.parsePrivateKey(Files.readString(key, StandardCharsets.US_ASCII), null);
            return matches(certificate, privateKey) ? certificate.getNotAfter().toInstant() : null;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) throws GeneralSecurityException {
        String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA"
                : "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "Ed25519";
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }
}
