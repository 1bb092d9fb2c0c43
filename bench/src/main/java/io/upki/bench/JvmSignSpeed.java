package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaLoader;
import io.upki.ca.authority.CertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.operator.ContentSigner;

/**
 * The CA key's signing rate in this JVM, through the same {@link CertificateAuthority#signer} the CA
 * uses: what the JCA provider allows, before ZeroMQ, parsing, building and storing are added.
 */
final class JvmSignSpeed {
    /** About the size of a TBSCertificate the CA signs for an EC P-256 CSR. */
    private static final byte[] TBS = new byte[900];

    private JvmSignSpeed() {
    }

    /** @param pkcs11 the token holding the CA key, or null for the key file of {@code dataDir} */
    static String measure(Path dataDir, io.upki.ca.keys.Pkcs11Settings pkcs11, double seconds, int threads, String label)
            throws InterruptedException {
        CertificateAuthority ca = CaLoader.load(new CaFiles(dataDir), null, pkcs11, java.time.Clock.systemUTC());
        // Warm up the JIT first (C2 takes seconds for BigInteger on a busy machine), so the timed run
        // sees compiled code.
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            sign(ca);
        }
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < Math.max(1, threads); i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    sign(ca);
                    count.incrementAndGet();
                }
            }, "sign-speed-" + i);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("label", label);
        o.put("task", "jvm_sign");
        o.put("algorithm", describe(ca.certificate().getPublicKey()) + " with SHA-256");
        o.put("threads", Math.max(1, threads));
        o.put("key", pkcs11 == null ? "file" : "pkcs11");
        o.put("sign_per_s", Math.round(count.get() / wall * 10) / 10.0);
        return o.toString();
    }

    private static String describe(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return "EC-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        return key.getAlgorithm();
    }

    private static void sign(CertificateAuthority ca) {
        ContentSigner signer = ca.signer("sha256");
        try (OutputStream out = signer.getOutputStream()) {
            out.write(TBS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        signer.getSignature();
    }
}
