package io.upki.pki.admins;

import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.process.DaemonThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link AdminDirectory} current from a file (one DN per line, re-read when it changes) or
 * from the CA's {@code list_admins}, polled. When the source is unreachable the last list stays.
 */
public final class AdminRefresher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRefresher.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("admin-refresh"));

    private AdminRefresher() {
    }

    /** Watches {@code file}, checking its modification time every {@code interval}. */
    public static AdminRefresher fromFile(Path file, AdminDirectory directory, Duration interval) throws IOException {
        AdminRefresher r = new AdminRefresher();
        FileTime[] seen = {null};
        Runnable load = () -> {
            try {
                FileTime mtime = Files.getLastModifiedTime(file);
                if (!mtime.equals(seen[0])) {
                    directory.replace(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
                    seen[0] = mtime;
                }
            } catch (IOException e) {
                LOG.warn("cannot read admin list {}: {}", file, e.getMessage());
            }
        };
        load.run();
        if (!directory.loaded()) {
            throw new IOException("cannot read admin list " + file);
        }
        r.scheduler.scheduleWithFixedDelay(load, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    /** Polls the CA's {@code list_admins} every {@code interval}; the first poll happens at once. */
    public static AdminRefresher fromCa(CaClient ca, AdminDirectory directory, Duration interval) {
        AdminRefresher r = new AdminRefresher();
        CertificateAuthorityClient typed = new TypedCaClient(ca);
        Runnable load = () -> {
            try {
                directory.replace(typed.admins(), "CA list_admins");
            } catch (CaClientException e) {
                LOG.warn("cannot refresh admin list from the CA: {}", e.getMessage());
            }
        };
        r.scheduler.scheduleWithFixedDelay(load, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
