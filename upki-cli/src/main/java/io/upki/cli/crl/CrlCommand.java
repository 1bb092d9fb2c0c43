package io.upki.cli.crl;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.cli.terminal.Output;
import io.upki.cli.terminal.OutputOptions;
import io.upki.cli.transport.Authority;
import io.upki.cli.transport.TransportOptions;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlRejectedException;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.files.AtomicFiles;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crl}: downloads the current CRL, verifies it against {@code ca.crt} with the same checks the
 * sidecar applies (issuer, signature over the exact bytes, cRLSign, nextUpdate ahead), prints it and
 * optionally saves it. A CRL is only as good as its signature, so an unverified one is never printed.
 */
@Command(name = "crl", mixinStandardHelpOptions = true,
        description = {"Download the current CRL, verify it against ca.crt (--cacert) and print it.",
                "Prints its number, next update and entries; --out saves it (DER, or PEM when the name ends in .pem)."})
public final class CrlCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "FILE", description = "save the verified CRL here")
    String out;

    @Mixin
    TransportOptions transport;

    @Mixin
    OutputOptions output;

    private final CliContext context;

    public CrlCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Output printer = new Output(context, output);
        byte[] der;
        X509Certificate caCert;
        try (Authority ca = transport.open(context)) {
            caCert = trustAnchor(ca, printer);
            der = ca.crl();
        }
        try {
            new CrlAcceptor(List.of(caCert), context.clock(), Duration.ZERO).accept(der, RevocationIndex.empty());
        } catch (CrlRejectedException e) {
            throw new CliException(ExitCode.VERIFICATION, "the CRL failed verification: " + e.getMessage());
        }
        CrlReport report = CrlReport.parse(der);
        Map<String, Object> result = new LinkedHashMap<>(report.summary());
        result.put("verified_with", caCert.getSubjectX500Principal().getName());
        result.put("entries", report.entries());
        if (out != null) {
            result.put("file", save(der).toString());
        }
        printer.result(result);
        printer.line("CRL number   %s", report.number());
        printer.line("issuer       %s (signature verified)", report.issuer());
        printer.line("this update  %s", report.thisUpdate());
        printer.line("next update  %s", report.nextUpdate());
        printer.line("entries      %d", report.entries().size());
        for (CrlReport.Entry e : report.entries()) {
            printer.line("  0x%s  %s  %s", e.serialHex(), e.revokedAt(), e.reason());
        }
        if (out != null) {
            printer.line("saved to %s", result.get("file"));
        }
        return ExitCode.OK.code();
    }

    /**
     * The CA certificate to verify with: {@code --cacert} (default {@code ca.crt}). When the default file
     * does not exist the CA's own certificate is used, which proves only that the CRL is intact, and a
     * note says so.
     */
    private X509Certificate trustAnchor(Authority ca, Output printer) {
        Path file = transport.caCertFile(context);
        String pem;
        if (Files.isRegularFile(file) || transport.caCertNamed()) {
            try {
                pem = Files.readString(file);
            } catch (IOException e) {
                throw CliException.localFile("cannot read " + file, e);
            }
        } else {
            printer.note(file + " not found: verifying with the certificate the CA sends (run generate first to pin it)");
            pem = ca.caCertificate();
        }
        try {
            return Pem.parseCertificate(pem);
        } catch (IllegalArgumentException e) {
            throw CliException.localFile(file + " holds no certificate: " + e.getMessage(), e);
        }
    }

    private Path save(byte[] der) {
        Path file = context.resolve(out);
        byte[] bytes = der;
        if (file.getFileName().toString().endsWith(".pem")) {
            bytes = ("-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END X509 CRL-----\n").getBytes(StandardCharsets.US_ASCII);
        }
        try {
            AtomicFiles.writePublic(file, bytes);
        } catch (IOException e) {
            throw CliException.localFile("cannot write " + file, e);
        }
        return file;
    }
}
