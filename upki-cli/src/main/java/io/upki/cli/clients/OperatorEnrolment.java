package io.upki.cli.clients;

import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.transport.TransportOptions;
import io.upki.cli.transport.ZmqAuthority;
import io.upki.pki.caclient.ClientKey;
import io.upki.pki.wire.CaTask;

/**
 * Makes this operator's CURVE key the CA's first operator: {@code enrol} on the registration port,
 * authenticated by the registration seed (from UPKI_CA_SEED or a file, never the command line: see
 * {@link SeedFileOption}).
 */
public final class OperatorEnrolment {
    private OperatorEnrolment() {
    }

    /** Enrols the operator's key; returns the CA's answer ({@code public_key}, {@code role}). */
    public static ClientKey enrol(CliContext context, TransportOptions transport, String seed, String name) {
        if (!transport.curve(context).enabled()) {
            throw CliException.usage("enrolling an operator key needs the CA's public key (--ca-public-key or "
                    + "UPKI_CA_PUBLIC_KEY): only a CURVE CA knows client keys");
        }
        if (seed == null) {
            throw CliException.usage("enrolling the first operator key needs the registration seed: set UPKI_CA_SEED "
                    + "or give --seed-file");
        }
        try (ZmqAuthority registration = transport.openRegistration(context)) {
            return registration.call(CaTask.ENROL, c -> c.enrol(seed, name));
        }
    }
}
