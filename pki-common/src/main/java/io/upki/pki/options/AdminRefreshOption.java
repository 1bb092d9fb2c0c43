package io.upki.pki.options;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --admin-refresh}: how often a relying party that reads the administrator list (the sidecar, ra-core
 * in direct mode) reads it again, so that an admin removed with {@code admins remove} loses access within it.
 */
public final class AdminRefreshOption {
    @Option(names = "--admin-refresh", defaultValue = "PT10S", description = "How often the admin list is refreshed.")
    Duration adminRefresh;

    /** The interval, positive. */
    public Duration interval() {
        if (adminRefresh == null || adminRefresh.isNegative() || adminRefresh.isZero()) {
            throw new IllegalArgumentException("admin-refresh: must be positive");
        }
        return adminRefresh;
    }
}
