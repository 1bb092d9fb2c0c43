package io.upki.pki.options;

import io.upki.pki.audit.AuditTrail;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** {@code --audit-log FILE} (env {@code UPKI_AUDIT_LOG}): where a process appends its audit events. */
public final class AuditLogOptions {
    @Option(names = "--audit-log", defaultValue = "${env:UPKI_AUDIT_LOG}", paramLabel = "FILE",
            description = "Append-only audit file, one JSON object per line, created 0600 (env UPKI_AUDIT_LOG); "
                    + "without it audit events are only logged.")
    Path auditLog;

    /** The audit trail of {@code process}: the file when given, else the log only. */
    public AuditTrail open(String process, Clock clock) throws IOException {
        return auditLog == null ? AuditTrail.logOnly(process, clock) : AuditTrail.open(auditLog, process, clock);
    }
}
