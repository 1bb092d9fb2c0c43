package io.upki.sidecar.signing;

import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.wire.RaRegistration;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key and certificate chain the sidecar signs assertions with. Either given as files, or obtained
 * once from the CA's registration port with the seed under the {@code sidecar} profile and kept in a
 * state folder (key 0600) for later starts, renewed when it nears expiry.
 */
public record SigningIdentity(PrivateKey key, List<X509Certificate> chain) {
    private static final Logger LOG = LoggerFactory.getLogger(SigningIdentity.class);
    static final String KEY_FILE = "sidecar.key";
    static final String CERT_FILE = "sidecar.crt";

    public static SigningIdentity fromFiles(Path keyFile, Path chainFile) throws IOException {
        PrivateKey key = Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), null);
        List<X509Certificate> chain = Pem.parseCertificates(Files.readString(chainFile, StandardCharsets.US_ASCII));
        if (chain.isEmpty()) {
            throw new IOException("no certificate in " + chainFile);
        }
        return new SigningIdentity(key, chain);
    }

    /**
     * Reuses the identity in {@code stateDir} while it is valid for at least a week, else registers anew.
     *
     * @param registration a client of the CA's registration port
     */
    public static SigningIdentity registered(CaClient registration, String seed, String cn, Path stateDir, Clock clock)
            throws IOException {
        return registered(registration, seed, cn, stateDir, clock, false);
    }

    /**
     * @param register register even when a valid identity exists: the sidecar has a new CURVE key, which
     *     only a registration with the seed makes known to the CA
     */
    public static SigningIdentity registered(CaClient registration, String seed, String cn, Path stateDir, Clock clock,
                                             boolean register) throws IOException {
        Path keyFile = stateDir.resolve(KEY_FILE);
        Path certFile = stateDir.resolve(CERT_FILE);
        if (!register && Files.exists(keyFile) && Files.exists(certFile)) {
            SigningIdentity existing = fromFiles(keyFile, certFile);
            if (existing.chain().get(0).getNotAfter().toInstant().isAfter(clock.instant().plus(Duration.ofDays(7)))) {
                return existing;
            }
            LOG.info("sidecar signing certificate expires soon: registering a new one");
        }
        if (seed == null || seed.isEmpty()) {
            throw new IOException("registering the sidecar needs the CA seed (--seed or UPKI_CA_SEED)");
        }
        RaRegistration data = new TypedCaClient(registration).register(seed, cn, "sidecar", List.of());
        Files.createDirectories(stateDir);
        write(keyFile, data.privateKey(), "rw-------");
        write(certFile, data.certificate() + data.caCertificate(), "rw-r--r--");
        LOG.info("sidecar signing identity registered with the CA as {}", cn);
        return fromFiles(keyFile, certFile);
    }

    private static void write(Path target, String content, String perms) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
