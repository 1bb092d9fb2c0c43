package io.upki.ca.issue;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.authority.CaFiles;
import io.upki.ca.authority.CaLoader;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.profile.Profile;
import io.upki.ca.profile.ProfileRegistry;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA's signing threads share one CertificateIssuer: certificates prepared at the same time must each
 * carry the key identifier of their own key (RFC 5280 section 4.2.1.2), never a digest mixed with another's.
 */
class CertificateIssuerConcurrencyTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 400;

    @TempDir
    Path dir;

    @Test
    void concurrentCertificatesEachNameTheirOwnKey() throws Exception {
        TestCa.initialize(dir, "ec");
        CaFiles files = new CaFiles(dir);
        CertificateAuthority ca = CaLoader.load(files, null);
        Profile server = ProfileRegistry.load(files.profiles()).find("server").orElseThrow();
        CertificateIssuer issuer = new CertificateIssuer(ca, Clock.systemUTC(), null);
        List<SubjectPublicKeyInfo> keys = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            keys.add(SubjectPublicKeyInfo.getInstance(TestKeys.ec256().getPublic().getEncoded()));
        }
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int offset = t;
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                    for (int i = 0; i < PER_THREAD; i++) {
                        SubjectPublicKeyInfo key = keys.get((offset + i) % keys.size());
                        TBSCertificate tbs = issuer.prepare(BigInteger.valueOf(offset * 100_000L + i + 1),
                                new X500Name("CN=t" + offset + "-" + i), key, server, List.of(), null);
                        byte[] got = SubjectKeyIdentifier.fromExtensions(tbs.getExtensions()).getKeyIdentifier();
                        byte[] expected = sha1.digest(key.getPublicKeyData().getBytes());
                        if (!MessageDigest.isEqual(got, expected)) {
                            wrong.add("thread " + offset + " certificate " + i);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).as("exceptions while preparing certificates concurrently").isEmpty();
        assertThat(wrong).as("certificates whose SKI is not the SHA-1 of their own key").isEmpty();
    }
}
