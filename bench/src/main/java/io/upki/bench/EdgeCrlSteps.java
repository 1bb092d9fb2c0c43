package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The CRL steps of {@link EdgeBench}: CRLs fetched, built, timed and served beyond the codec's 4 MiB bound. */
final class EdgeCrlSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EdgeCrlSteps() {
    }

    /** {@code crl-fetch}: a fresh CRL from the CA (generate_crl), read without the 4 MiB codec bound. */
    @Command(name = "crl-fetch", mixinStandardHelpOptions = true, description = "generate_crl on the CA, written as DER.")
    static final class CrlFetch implements Callable<Integer> {
        @Option(names = "--endpoint", required = true)
        String endpoint;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws IOException {
            try (RawCaExchange ca = RawCaExchange.connect(endpoint, 5, Duration.ofSeconds(2))) {
                BenchCrl.writeAtomically(out, ca.crl("generate_crl", Duration.ofSeconds(60)));
            }
            return 0;
        }
    }

    /** {@code crl-load}: CrlAcceptor.accept timings and lookup costs for CRLs of several sizes. */
    @Command(name = "crl-load", mixinStandardHelpOptions = true,
            description = "Time CrlAcceptor.accept and revocation lookups for CRLs of the given sizes.")
    static final class CrlLoad implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "CA data directory (its key signs the CRLs).")
        Path dataDir;

        @Option(names = "--leaf", required = true, description = "PEM of a certificate issued by that CA (not revoked).")
        Path leaf;

        @Option(names = "--sizes", split = ",", defaultValue = "1000,100000,1000000")
        List<Integer> sizes;

        @Option(names = "--runs", defaultValue = "3", description = "Timed accept runs after one warm-up.")
        int runs;

        @Option(names = "--lookups", defaultValue = "20000000", description = "Iterations of each lookup loop.")
        long lookups;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority ca = BenchCrl.loadCa(dataDir);
            CrlLoadBench.run(ca, Pem.parseCertificate(Files.readString(leaf)), sizes, runs, lookups, System.out);
            return 0;
        }
    }

    /**
     * {@code crl-swap}: replaces a sidecar's CRL file with a large one that revokes a probe certificate
     * and times until the probe is refused.
     */
    @Command(name = "crl-swap", mixinStandardHelpOptions = true,
            description = "Write an N-entry CRL over a sidecar's CRL file; time until a listed certificate gets 403.")
    static final class CrlSwap implements Callable<Integer> {
        @Option(names = "--data-dir", required = true)
        Path dataDir;

        @Option(names = "--crl-file", required = true, description = "The file the sidecar reads (--crl).")
        Path crlFile;

        @Option(names = "--entries", defaultValue = "1000000")
        int entries;

        @Option(names = "--number", defaultValue = "1000000", description = "CRL Number (above the CA's).")
        long number;

        @Option(names = "--probe-pem", required = true, description = "Certificate to list in the CRL.")
        Path probePem;

        @Option(names = "--sidecar", required = true, description = "host:port of the sidecar.")
        String sidecar;

        @Option(names = "--label", defaultValue = "crl-swap")
        String label;

        @Override
        public Integer call() throws Exception {
            CertificateAuthority ca = BenchCrl.loadCa(dataDir);
            var probe = Pem.parseCertificate(Files.readString(probePem));
            long t = System.nanoTime();
            byte[] der = BenchCrl.build(ca, BigInteger.valueOf(number), entries, List.of(probe.getSerialNumber()), 42);
            double build = (System.nanoTime() - t) / 1e9;
            String b64 = Base64.getEncoder().encodeToString(probe.getEncoded());
            SidecarAddress address = SidecarAddress.parse(sidecar);
            byte[] request = address.authRequest(b64);
            ObjectNode line = JSON.createObjectNode();
            line.put("label", label);
            line.put("kind", "crl-swap");
            line.put("entries", entries);
            line.put("der_bytes", der.length);
            line.put("build_s", Stats.round(build, 2));
            try (RawHttp http = new RawHttp(address.host(), address.port())) {
                int before = http.exchange(request).status();
                line.put("probe_status_before", before);
                // The sidecar's file watcher (a stat every second) notices the new file: no POST /crl/refresh,
                // which would make a second full parse race the first one.
                BenchCrl.writeAtomically(crlFile, der);
                long t0 = System.nanoTime();
                line.put("written_at_epoch_ms", System.currentTimeMillis());
                long refused = -1;
                String reason = "";
                while (System.nanoTime() - t0 < 60_000_000_000L) {
                    RawHttp.Response r = http.exchange(request);
                    if (r.status() == 403) {
                        refused = System.nanoTime() - t0;
                        reason = RevocationDriver.reasonOf(r);
                        break;
                    }
                    Thread.sleep(2);
                }
                line.put("write_to_refusal_s", Stats.round(refused / 1e9, 3));
                line.put("refusal_reason", reason);
            }
            System.err.printf("crl-swap: %,d entries (%,d bytes): refused %s s after the write (%s)%n",
                    entries, der.length, line.get("write_to_refusal_s"), line.get("refusal_reason").asText());
            System.out.println(line);
            return 0;
        }
    }

    /** {@code publisher}: the bench stand-in for crl-publisher (CRLs above the codec's 4 MiB bound). */
    @Command(name = "publisher", mixinStandardHelpOptions = true,
            description = "Serve the CA's CRL like crl-publisher, reading CA replies without the 4 MiB bound.")
    static final class Publisher implements Callable<Integer> {
        @Option(names = "--ca", required = true)
        String ca;

        @Option(names = "--events", required = true, description = "CA event feed, tcp://host:port+2.")
        String events;

        @Option(names = "--ca-cert", required = true)
        Path caCert;

        @Option(names = "--out", required = true)
        Path out;

        @Option(names = "--port", required = true)
        int port;

        @Override
        public Integer call() throws Exception {
            var cert = Pem.parseCertificate(Files.readString(caCert, StandardCharsets.US_ASCII));
            BenchPublisher publisher = new BenchPublisher(ca, events, cert, out, port, Duration.ofMillis(20),
                    Duration.ofMillis(200));
            UntilTerminated running = UntilTerminated.onTerm("bench-publisher-stop", publisher::close);
            publisher.start();
            System.out.println("bench publisher ready on http://127.0.0.1:" + port);
            running.await();
            return 0;
        }
    }
}
