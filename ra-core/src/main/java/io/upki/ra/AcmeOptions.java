package io.upki.ra;

import io.upki.acme.config.AcmeSettings;
import io.upki.acme.db.StoreLocation;
import io.upki.acme.validation.NetworkPolicy;
import io.upki.pki.files.SecretOption;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The ACME options of {@code ra-core start}, read into one validated {@link AcmeSettings}. */
final class AcmeOptions {
    @Option(names = "--acme", negatable = true, defaultValue = "${env:UPKI_ACME:-true}", fallbackValue = "true",
            description = "Serve ACME (RFC 8555) under /acme/ (UPKI_ACME, default true).")
    boolean acme;

    @Option(names = "--acme-profile", defaultValue = "${env:UPKI_ACME_PROFILE:-server}",
            description = "CA profile for ACME certificates (UPKI_ACME_PROFILE).")
    String acmeProfile;

    @Option(names = "--acme-http-port", defaultValue = "${env:UPKI_ACME_HTTP_PORT:-80}",
            description = "Port http-01 validation connects to (UPKI_ACME_HTTP_PORT).")
    int acmeHttpPort;

    @Option(names = "--acme-tls-port", defaultValue = "${env:UPKI_ACME_TLS_PORT:-443}",
            description = "Port tls-alpn-01 validation connects to (UPKI_ACME_TLS_PORT).")
    int acmeTlsPort;

    @Option(names = "--acme-dns", defaultValue = "${env:UPKI_ACME_DNS}",
            description = "host:port of the DNS server for validation (UPKI_ACME_DNS); default the system resolver.")
    String acmeDns;

    @Option(names = "--acme-eab", defaultValue = "${env:UPKI_ACME_EAB}",
            description = "External Account Binding keys: kid=base64url,... or @file (UPKI_ACME_EAB); makes EAB required.")
    String acmeEab;

    @Option(names = "--acme-order-lifetime", defaultValue = "P1D", description = "Lifetime of an ACME order.")
    Duration acmeOrderLifetime;

    @Option(names = "--acme-authz-lifetime", defaultValue = "P1D", description = "Lifetime of a pending authorization.")
    Duration acmeAuthzLifetime;

    @Option(names = "--acme-nonce-lifetime", defaultValue = "PT1H", description = "Lifetime of an unused nonce.")
    Duration acmeNonceLifetime;

    @Option(names = "--acme-allow-networks", defaultValue = "${env:UPKI_ACME_ALLOW_NETWORKS}",
            description = "Networks validation may also connect to, CIDR[,CIDR] (UPKI_ACME_ALLOW_NETWORKS): "
                    + "by default only public addresses; loopback, private (RFC 1918, RFC 4193, 100.64.0.0/10), "
                    + "link-local and the like only inside these.")
    String acmeAllowNetworks;

    @Option(names = "--acme-base-url", defaultValue = "${env:UPKI_ACME_BASE_URL}",
            description = "External scheme://host[:port] of the RA when a proxy changes it (UPKI_ACME_BASE_URL).")
    String acmeBaseUrl;

    @Option(names = "--acme-store", defaultValue = "${env:UPKI_ACME_STORE}",
            description = "Where ACME state lives: postgresql://USER@HOST:PORT/DB for a PostgreSQL database that "
                    + "several ra-core replicas share, nonces included (env UPKI_ACME_STORE); default acme.db (SQLite) "
                    + "in the data directory. The password never goes in the URL: env PGPASSWORD or "
                    + "--acme-store-password-file.")
    String acmeStore;

    @Option(names = "--acme-store-password-file", defaultValue = "${env:UPKI_ACME_STORE_PASSWORD_FILE}",
            description = "File holding the PostgreSQL password of --acme-store (env UPKI_ACME_STORE_PASSWORD_FILE); "
                    + "instead of env PGPASSWORD.")
    Path acmeStorePasswordFile;

    /**
     * The validated settings, the store in {@code dataDir} (acme.db) unless {@code --acme-store} names a
     * database; its password from env PGPASSWORD or {@code --acme-store-password-file}, never both.
     *
     * @throws IllegalArgumentException naming the option that is malformed
     */
    AcmeSettings settings(Path dataDir) {
        AcmeSettings settings = new AcmeSettings(acme, acmeProfile, acmeHttpPort, acmeTlsPort, acmeDns,
                AcmeSettings.parseEab(acmeEab), acmeOrderLifetime, acmeAuthzLifetime, acmeNonceLifetime, acmeBaseUrl,
                NetworkPolicy.parse(acmeAllowNetworks));
        String pgPassword = SecretOption.resolve(System.getenv("PGPASSWORD"), acmeStorePasswordFile,
                "PGPASSWORD", "--acme-store-password-file");
        return settings.withStore(StoreLocation.parse(acmeStore, dataDir.resolve("acme.db"),
                pgPassword == null ? null : pgPassword.toCharArray()));
    }
}
