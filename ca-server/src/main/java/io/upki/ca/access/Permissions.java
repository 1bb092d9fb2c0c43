package io.upki.ca.access;

import io.upki.ca.profile.Profile;
import io.upki.pki.wire.CaTask;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Each role's tasks on the operations port (least privilege; docs/SECURITY.md prints the same table).
 * The registration port's tasks ({@code register}, {@code status}, {@code enrol}) are open to any
 * CURVE key because the seed authenticates them; the event feed admits every role (its events are hints
 * that name CRL numbers and revoked serials, which the CRL publishes anyway).
 */
public final class Permissions {
    private static final Map<Role, Set<CaTask>> OPERATIONS = new EnumMap<>(Role.class);

    static {
        OPERATIONS.put(Role.OPERATOR, EnumSet.allOf(CaTask.class));
        OPERATIONS.put(Role.RA, EnumSet.of(CaTask.GET_CA, CaTask.GET_CA_CHAIN, CaTask.GET_CRL, CaTask.GET_CRLS, CaTask.GENERATE_CRL, CaTask.LIST_PROFILES,
                CaTask.GET_PROFILE, CaTask.LIST_ADMINS, CaTask.GENERATE, CaTask.SIGN, CaTask.RENEW, CaTask.RENEW_CSR, CaTask.REVOKE,
                CaTask.UNREVOKE, CaTask.DELETE, CaTask.VIEW, CaTask.OCSP_CHECK, CaTask.LIST_NODES, CaTask.GET_NODE));
        OPERATIONS.put(Role.SIDECAR, EnumSet.of(CaTask.GET_CA, CaTask.GET_CA_CHAIN, CaTask.GET_CRL, CaTask.GET_CRLS, CaTask.LIST_ADMINS));
        // sign: its own OCSP signer certificate only (OWN_PROFILE); ocsp_check: the responder's status lookups.
        OPERATIONS.put(Role.CRL_PUBLISHER, EnumSet.of(CaTask.GET_CA, CaTask.GET_CA_CHAIN, CaTask.GET_CRL, CaTask.GET_CRLS, CaTask.GENERATE_CRL, CaTask.GENERATE_DELTA_CRL, CaTask.GET_DELTA_CRL, CaTask.SIGN,
                CaTask.OCSP_CHECK));
    }

    /** Roles that may issue under one profile only, their own: the publisher certifies its OCSP signer. */
    private static final Map<Role, String> OWN_PROFILE = Map.of(Role.CRL_PUBLISHER, "ocsp");

    /** Profile names that only an operator may issue, renew or revoke under, whatever their content. */
    private static final Set<String> PRIVILEGED_NAMES = Set.of("ca", "ra", "sidecar", "admin", "ocsp");

    private Permissions() {
    }

    /** Whether {@code role} may run {@code task} at all on the operations port. */
    public static boolean allows(Role role, CaTask task) {
        return role != null && OPERATIONS.get(role).contains(task);
    }

    /** The tasks of a role, for documentation and {@code list_clients}. */
    public static Set<CaTask> tasks(Role role) {
        return EnumSet.copyOf(OPERATIONS.get(role));
    }

    /** The one profile a role may issue under, or null when {@link #endEntityOnly} decides. */
    public static String ownProfile(Role role) {
        return OWN_PROFILE.get(role);
    }

    /** Whether the role's certificate tasks are limited to end-entity profiles. */
    public static boolean endEntityOnly(Role role) {
        return role != Role.OPERATOR;
    }

    /**
     * Whether the event feed admits the role: publishers follow it, and sidecars and RAs while no
     * publisher answers (their CRL fallback, issue #18).
     */
    public static boolean receivesEvents(Role role) {
        return role != null;
    }

    /**
     * A profile whose certificates confer authority: a CA, an RA's identity, a sidecar's assertion key or
     * an administrator's certificate, by name or by what the profile writes (a role, a CA basic constraint).
     */
    public static boolean privileged(String name, Profile profile) {
        if (PRIVILEGED_NAMES.contains(name)) {
            return true;
        }
        if (profile == null) {
            return false; // unknown profile: the task itself fails with "profile not found"
        }
        // uPKI marks CA and RA profiles with certType sslCA; keyCertSign/cRLSign make an issuer.
        return profile.role() != null || profile.pathLen() != null || "sslCA".equals(profile.certType())
                || profile.keyUsage().contains("keyCertSign") || profile.keyUsage().contains("cRLSign");
    }
}
