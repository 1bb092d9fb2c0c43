package io.upki.pki.wire;

import java.time.Duration;
import java.util.Optional;

/**
 * Every task name of the CA protocol (CA-PROTOCOL.md section 5), with what a client needs to call it
 * safely: whether a retry after a lost reply is harmless, and how long the CA may take.
 */
public enum CaTask {
    GET_CA("get_ca", true, Duration.ofSeconds(5)),
    /** upki: the issuing CA's certificate then the certificates above it up to the root, PEM. */
    GET_CA_CHAIN("get_ca_chain", true, Duration.ofSeconds(5)),
    GET_CRL("get_crl", true, Duration.ofSeconds(30)),
    /**
     * upki: the CRL of every live issuing-key generation (a CA that rolled its key over, docs/KEYS.md),
     * as {@code [{"generation": N, "crl": base64 DER}]}, oldest first.
     */
    GET_CRLS("get_crls", true, Duration.ofSeconds(30)),
    GENERATE_CRL("generate_crl", false, Duration.ofSeconds(60)),
    /**
     * upki: like {@code generate_crl}, but answers {@code {"number": N, "base": B, "delta": base64 DER}}:
     * the delta CRL (RFC 5280 section 5.2.4) issued with the new complete CRL N, listing what was revoked
     * since complete CRL B; {@code base} and {@code delta} are absent when CRL N is a new base.
     */
    GENERATE_DELTA_CRL("generate_delta_crl", false, Duration.ofSeconds(60)),
    /**
     * upki: the answer of {@code generate_delta_crl} for the current CRL, signing nothing: the delta CRL
     * issued with it, when there is one (a CRL that someone else had the CA sign, pushed all the same).
     */
    GET_DELTA_CRL("get_delta_crl", true, Duration.ofSeconds(30)),
    LIST_PROFILES("list_profiles", true, Duration.ofSeconds(5)),
    GET_PROFILE("get_profile", true, Duration.ofSeconds(5)),
    LIST_ADMINS("list_admins", true, Duration.ofSeconds(5)),
    ADD_ADMIN("add_admin", false, Duration.ofSeconds(10)),
    REMOVE_ADMIN("remove_admin", false, Duration.ofSeconds(10)),
    REGISTER("register", false, Duration.ofSeconds(60)),
    GENERATE("generate", false, Duration.ofSeconds(60)),
    SIGN("sign", false, Duration.ofSeconds(30)),
    RENEW("renew", false, Duration.ofSeconds(30)),
    /**
     * upki's addition: renew the certificate named by {@code serial} (or {@code dn}) for the key of
     * {@code csr}, keeping its subject, SANs and profile; the old one is revoked as superseded.
     */
    RENEW_CSR("renew_csr", false, Duration.ofSeconds(30)),
    REVOKE("revoke", false, Duration.ofSeconds(10)),
    UNREVOKE("unrevoke", false, Duration.ofSeconds(10)),
    DELETE("delete", false, Duration.ofSeconds(10)),
    VIEW("view", true, Duration.ofSeconds(5)),
    OCSP_CHECK("ocsp_check", true, Duration.ofSeconds(5)),
    LIST_NODES("list_nodes", true, Duration.ofSeconds(30)),
    GET_NODE("get_node", true, Duration.ofSeconds(5)),
    /** Registration port only. */
    STATUS("status", true, Duration.ofSeconds(5)),
    /** upki, registration port, CURVE only: the first operator key enrols itself with the seed. */
    ENROL("enrol", false, Duration.ofSeconds(10)),
    /** upki, operators only: the CURVE client keys the CA knows, with their roles. */
    LIST_CLIENTS("list_clients", true, Duration.ofSeconds(5)),
    /** upki, operators only: makes a CURVE public key known with a role. */
    ADD_CLIENT("add_client", false, Duration.ofSeconds(10)),
    /** upki, operators only: forgets a CURVE public key; its next request is refused. */
    REMOVE_CLIENT("remove_client", false, Duration.ofSeconds(10));

    private final String wireName;
    private final boolean idempotent;
    private final Duration defaultTimeout;

    CaTask(String wireName, boolean idempotent, Duration defaultTimeout) {
        this.wireName = wireName;
        this.idempotent = idempotent;
        this.defaultTimeout = defaultTimeout;
    }

    /** The value of {@code TASK} on the wire (case-sensitive). */
    public String wireName() {
        return wireName;
    }

    /** True when sending the task twice has the same effect as once, so a client may retry it. */
    public boolean idempotent() {
        return idempotent;
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    public static Optional<CaTask> fromWireName(String name) {
        for (CaTask t : values()) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
