package io.upki.sidecar;

import io.upki.pki.caclient.CaEndpoints;
import io.upki.pki.options.SeedOptions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the assertion key comes from, files or registration with the CA, read into a {@link SidecarConfig.Signing}. */
final class SigningOptions {
    @Option(names = "--assertion-key", description = "PEM private key (EC) for signing assertions.")
    Path assertionKey;

    @Option(names = "--assertion-cert", description = "PEM certificate chain of the assertion key.")
    Path assertionCert;

    @Option(names = "--register", defaultValue = "${env:UPKI_CA_REGISTRATION}",
            description = "CA registration endpoints (tcp://host:5001[,...]) to obtain the assertion key with the seed "
                    + "(default with --seed: each --ca port + 1).")
    String registerEndpoint;

    @Mixin
    SeedOptions seed = new SeedOptions();

    @Option(names = "--cn", defaultValue = "auth-sidecar", description = "CN registered for the signing identity.")
    String cn;

    @Option(names = "--state-dir", defaultValue = "${env:UPKI_SIDECAR_STATE:-${sys:user.home}/.upki/sidecar}",
            description = "Where a registered signing identity and the highest CRL number per issuer (crl-numbers) are kept.")
    Path stateDir;

    /** The validated settings; {@code cas} gives the default registration endpoints. */
    SidecarConfig.Signing signing(CaEndpoints cas) {
        return new SidecarConfig.Signing(assertionKey, assertionCert, registration(cas), seed.seed(), cn, stateDir);
    }

    /** {@code --register} as given, else each CA's port + 1 when a seed asks for registration, else null. */
    String registration(CaEndpoints cas) {
        if (registerEndpoint != null && !registerEndpoint.isBlank()) {
            return registerEndpoint;
        }
        return cas != null && assertionKey == null && seed.given() ? cas.registrationList() : null;
    }
}
