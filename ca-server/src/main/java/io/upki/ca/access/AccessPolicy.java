package io.upki.ca.access;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.profile.ProfileRegistry;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.CaTask;
import java.util.Optional;

/**
 * The CA's access decisions for one run: who a request comes from (the User-Id the ZAP handler put on
 * its connection) and whether that caller may run a task on a profile. A {@code none} CA allows every
 * task, as uPKI does; a {@code curve} CA applies {@link Permissions}. Every refusal is audited.
 */
public final class AccessPolicy {
    private final ClientAuth mode;
    private final ClientRegistry registry;
    private final ProfileRegistry profiles;
    private final AuditLog audit;

    public AccessPolicy(ClientAuth mode, ClientRegistry registry, ProfileRegistry profiles, AuditLog audit) {
        this.mode = mode;
        this.registry = registry;
        this.profiles = profiles;
        this.audit = audit;
    }

    public ClientAuth mode() {
        return mode;
    }

    public ClientRegistry registry() {
        return registry;
    }

    /**
     * The caller of a request, from the {@code User-Id} property of its connection (RFC 27: the ZAP
     * handler's user id, here the Z85 public key). The role is looked up now, not at the handshake, so
     * a key removed since then is unknown from its next request on.
     */
    public Caller identify(String userId) {
        if (mode == ClientAuth.NONE) {
            return Caller.PLAIN;
        }
        // A CURVE connection always has a User-Id from our ZAP handler; without one, fail closed.
        String key = userId == null ? "" : userId;
        return new Caller(key, registry.role(key).orElse(null));
    }

    /**
     * Operations port: the caller's key must be known and its role must allow the task. Unknown task
     * names pass (the router answers "Unknown task" only to known callers).
     *
     * @throws CaProtocolException PERMISSION
     */
    public void checkOperation(Caller caller, String taskName) {
        if (caller.plain()) {
            return;
        }
        if (caller.role() == null) {
            refuse(caller, taskName, "unknown-key", "Permission denied: this client key is not known to the CA"
                    + " (enrol it, or ask an operator: upki-cli clients add)");
        }
        Optional<CaTask> task = CaTask.fromWireName(taskName);
        if (task.isPresent() && !Permissions.allows(caller.role(), task.get())) {
            refuse(caller, taskName, "role", "Permission denied: role " + caller.role().wireName()
                    + " may not run " + taskName);
        }
    }

    /**
     * Certificate tasks ({@code generate}, {@code sign}, {@code renew}, {@code revoke}, ...): only an
     * operator may act on a privileged profile (CA, RA, sidecar, admin).
     *
     * @throws CaProtocolException PERMISSION
     */
    public void checkProfile(Caller caller, String taskName, String profile) {
        if (caller.plain() || caller.role() == Role.OPERATOR) {
            return;
        }
        String own = Permissions.ownProfile(caller.role());
        if (own != null) {
            if (!own.equals(profile)) {
                refuse(caller, taskName, "other-profile", "Permission denied: role " + caller.role().wireName()
                        + " may only " + taskName + " with profile " + own + ", not " + profile);
            }
            return;
        }
        if (Permissions.endEntityOnly(caller.role())
                && Permissions.privileged(profile, profiles.find(profile).orElse(null))) {
            refuse(caller, taskName, "privileged-profile", "Permission denied: role " + caller.role().wireName()
                    + " may not " + taskName + " with profile " + profile
                    + ": that is an operator action (upki-cli with the operator key)");
        }
    }

    /** Registration with the seed under CURVE: the role the registering key gets from its profile. */
    public Role registrationRole(Caller caller, String profile) {
        var p = profiles.find(profile).orElse(null);
        boolean sidecar = "sidecar".equals(profile) || (p != null && "sidecar".equals(p.role()));
        if (!sidecar && (p != null && p.role() != null || "admin".equals(profile) || "ca".equals(profile))) {
            refuse(caller, "register", "privileged-profile", "Permission denied: registration with the seed issues "
                    + "ra or sidecar identities only, not profile " + profile);
        }
        return sidecar ? Role.SIDECAR : Role.RA;
    }

    private void refuse(Caller caller, String task, String reason, String message) {
        audit.record(task, "refused", "caller", caller.describe(), "reason", reason);
        throw new CaProtocolException(CaErrorCode.PERMISSION, message);
    }
}
