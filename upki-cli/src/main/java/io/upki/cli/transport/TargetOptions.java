package io.upki.cli.transport;

import picocli.CommandLine.Option;

/** {@code --dn}, {@code --cn} or {@code --serial}: exactly one names the certificate a command acts on. */
public final class TargetOptions {
    @Option(names = "--dn", paramLabel = "DN",
            description = "subject DN: /C=FR/O=Company/OU=Admins/CN=x, CN=x,OU=Admins,... or /CN=x")
    String dn;

    @Option(names = "--cn", paramLabel = "CN", description = "common name (the newest certificate with it that is not revoked)")
    String cn;

    @Option(names = "--serial", paramLabel = "SERIAL", description = "serial number: decimal, 0x-hex or aa:bb:.. hex")
    String serial;

    /** @throws io.upki.cli.CliException USAGE when the value is malformed */
    public CertificateRef ref() {
        if (serial != null) {
            return CertificateRef.parseSerial(serial);
        }
        if (dn != null) {
            return CertificateRef.parseDn(dn);
        }
        return CertificateRef.ofCn(cn);
    }
}
