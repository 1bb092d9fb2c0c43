package io.upki.ra.bootstrap;

import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.wire.RaRegistration;
import io.upki.pki.wire.SubjectAltName;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.util.IPAddress;

/**
 * The RA's key, certificate and CA certificate. The first start registers with the CA's registration
 * port under the {@code ra} profile using the seed and stores the three files; later starts reuse them.
 */
public record RaIdentity(PrivateKey key, X509Certificate certificate, X509Certificate caCertificate) {
    static final String KEY = "ra.key";
    static final String CERT = "ra.crt";
    static final String CA = "ca.crt";

    /**
     * @throws IllegalStateException with an operator-readable reason (missing seed, wrong seed, CA down)
     */
    public static RaIdentity loadOrRegister(Path dataDir, CaClient registration, String seed, String cn, List<String> sans)
            throws IOException {
        return loadOrRegister(dataDir, registration, seed, cn, sans, false);
    }

    /**
     * @param register register even when the files exist: the RA has a new CURVE key, which only a
     *     registration with the seed makes known to the CA
     */
    public static RaIdentity loadOrRegister(Path dataDir, CaClient registration, String seed, String cn, List<String> sans,
                                            boolean register) throws IOException {
        Path key = dataDir.resolve(KEY);
        Path cert = dataDir.resolve(CERT);
        Path ca = dataDir.resolve(CA);
        if (!register && Files.exists(key) && Files.exists(cert) && Files.exists(ca)) {
            return new RaIdentity(Pem.parsePrivateKey(Files.readString(key, StandardCharsets.US_ASCII), null),
                    Pem.parseCertificate(Files.readString(cert, StandardCharsets.US_ASCII)),
                    Pem.parseCertificate(Files.readString(ca, StandardCharsets.US_ASCII)));
        }
        if (seed == null || seed.isEmpty()) {
            throw new IllegalStateException((register ? "the RA's CURVE key is new and only a registration enrols it"
                    : "no RA identity in " + dataDir) + " and no seed to register: "
                    + "set UPKI_CA_SEED (or --seed) to the CA's registration seed");
        }
        List<SubjectAltName> names = sans.stream()
                .map(san -> new SubjectAltName(IPAddress.isValid(san) ? "IP" : "DNS", san)).toList();
        RaRegistration data;
        try {
            data = new TypedCaClient(registration).register(seed, cn, "ra", names);
        } catch (CaClientException e) {
            if (e.kind() == CaClientException.Kind.REJECTED && e.getMessage().contains("Invalid registration seed")) {
                throw new IllegalStateException("the CA refused the registration seed: check UPKI_CA_SEED", e);
            }
            if (e.kind() == CaClientException.Kind.UNAVAILABLE) {
                throw new IllegalStateException("cannot register: " + e.getMessage()
                        + " (is the CA running, and --ca (UPKI_CA) right?)", e);
            }
            throw new IllegalStateException("the CA refused to register the RA: " + e.getMessage(), e);
        }
        AtomicFiles.privateDirectory(dataDir);
        AtomicFiles.writeSecret(key, data.privateKey().getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writePublic(ca, data.caCertificate().getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writePublic(cert, data.certificate().getBytes(StandardCharsets.US_ASCII));
        return loadOrRegister(dataDir, registration, seed, cn, sans, false);
    }
}
