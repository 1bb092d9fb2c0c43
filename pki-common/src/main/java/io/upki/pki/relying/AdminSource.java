package io.upki.pki.relying;

import io.upki.pki.caclient.CaClient;
import java.nio.file.Path;
import java.time.Duration;

/** Where a relying party's administrator list comes from, besides the CA's admin marker in a certificate. */
public sealed interface AdminSource {

    /** One DN per line in {@code file}, re-read when its modification time changes (checked every {@code refresh}). */
    record FromFile(Path file, Duration refresh) implements AdminSource {
        public FromFile {
            if (file == null) {
                throw new IllegalArgumentException("admins: the file is required");
            }
            checkRefresh(refresh);
        }
    }

    /** The CA's {@code list_admins}, polled every {@code refresh}; the last list stays while the CA is away. */
    record FromCa(CaClient ca, Duration refresh) implements AdminSource {
        public FromCa {
            if (ca == null) {
                throw new IllegalArgumentException("admins: the CA client is required");
            }
            checkRefresh(refresh);
        }
    }

    /** No list: only the admin marker counts (edge ra-core, where roles arrive in sidecar assertions). */
    record None() implements AdminSource {
    }

    static AdminSource file(Path file, Duration refresh) {
        return new FromFile(file, refresh);
    }

    static AdminSource ca(CaClient ca, Duration refresh) {
        return new FromCa(ca, refresh);
    }

    static AdminSource none() {
        return new None();
    }

    private static void checkRefresh(Duration refresh) {
        if (refresh == null || refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("admin-refresh: must be positive");
        }
    }
}
