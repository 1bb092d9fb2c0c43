package io.upki.ca.wire;

import io.upki.ca.access.AccessPolicy;
import io.upki.ca.access.Caller;
import io.upki.ca.access.Role;
import io.upki.ca.admin.AdminService;
import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CaGenerations;
import io.upki.ca.crl.CrlServices;
import io.upki.ca.inspect.CertificateInspector;
import io.upki.ca.issue.CsrRenewal;
import io.upki.ca.issue.IssuanceService;
import io.upki.ca.lookup.CertificateLookup;
import io.upki.ca.profile.ProfileRegistry;
import io.upki.ca.registration.RegistrationService;
import io.upki.ca.revoke.RevocationService;
import io.upki.ca.store.CertificateRecord;
import io.upki.ca.wire.TaskRouter.CallerHandler;
import io.upki.pki.audit.AuditTrail;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.IssuedCertificate;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.RevocationReason;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The route tables of the two ports (CA-PROTOCOL.md section 5): one line per task, naming its lane.
 * Handlers only read parameters and call a use case; the use cases hold the logic.
 */
public final class CaRoutes {
    private static final String DEFAULT_PROFILE = "server";
    private static final String DEFAULT_REGISTRATION_PROFILE = "ra";
    private static final int MAX_PAGE = NodeQuery.MAX_LIMIT;
    /** The page size of a filtered {@code list_nodes} that names none. */
    private static final int DEFAULT_PAGE = 100;

    private final CaGenerations generations;
    private final ProfileRegistry profiles;
    private final IssuanceService issuance;
    private final RevocationService revocation;
    private final CrlServices crls;
    private final AdminService admins;
    private final CertificateLookup lookup;
    private final CertificateInspector inspector;
    private final RegistrationService registration;
    private final CsrRenewal renewal;
    private final AuditLog audit;
    private final AccessPolicy access;
    private TaskTimer timer = TaskTimer.NONE;

    public CaRoutes(CaGenerations generations, ProfileRegistry profiles, IssuanceService issuance,
                    RevocationService revocation, CrlServices crls, AdminService admins, CertificateLookup lookup,
                    CertificateInspector inspector, RegistrationService registration, CsrRenewal renewal,
                    AuditLog audit, AccessPolicy access) {
        this.access = access;
        this.generations = generations;
        this.profiles = profiles;
        this.issuance = issuance;
        this.revocation = revocation;
        this.crls = crls;
        this.admins = admins;
        this.lookup = lookup;
        this.inspector = inspector;
        this.registration = registration;
        this.renewal = renewal;
        this.audit = audit;
    }

    /** Times issuance and revocation tasks with {@code t} (metrics); call before building the routers. */
    public CaRoutes timedBy(TaskTimer t) {
        this.timer = t;
        return this;
    }

    /** The issuance and revocation tasks, whose count and latency {@link #timedBy} records. */
    private static final java.util.Set<CaTask> TIMED = java.util.EnumSet.of(CaTask.REGISTER, CaTask.GENERATE,
            CaTask.SIGN, CaTask.RENEW, CaTask.RENEW_CSR, CaTask.REVOKE, CaTask.UNREVOKE, CaTask.DELETE);

    /**
     * {@code get_ca_chain}: the current issuing CA, then every earlier generation still live (newest
     * first; relying parties need them until their last certificate expires), then the chain to the root.
     */
    private String chainPem() {
        List<CaGenerations.Generation> all = generations.all();
        StringBuilder b = new StringBuilder();
        for (int i = all.size() - 1; i >= 0; i--) {
            b.append(all.get(i).ca().pem());
        }
        for (java.security.cert.X509Certificate c : generations.current().ca().chain()) {
            b.append(io.upki.pki.x509.Pem.encode(c));
        }
        return b.toString();
    }

    /** {@code get_crl}: the current generation's CRL, or with {@code generation} that generation's. */
    private io.upki.ca.store.StoredCrl crl(Params p) {
        Integer number = p.optionalPositiveInt("generation", 1_000_000);
        if (number == null) {
            return crls.current();
        }
        io.upki.ca.crl.CrlService service = crls.service(number);
        if (service == null) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "generation " + number + " is not a live generation of "
                    + "this CA (live: " + crls.numbers() + ")");
        }
        return service.current();
    }

    /**
     * {@code generate_delta_crl} (a new CRL) or {@code get_delta_crl} (the current one): the CRL's number,
     * with the delta CRL issued with it unless it is a base.
     */
    private Map<String, Object> deltaCrl(boolean generate) {
        io.upki.ca.crl.DeltaCrl delta = generate ? crls.generateDelta() : crls.currentDelta();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("number", delta != null ? delta.number() : crls.current().number());
        if (delta != null) {
            out.put("base", delta.base());
            out.put("delta", base64(delta.der()));
        }
        return out;
    }

    /** {@code get_crls}: every live generation's current CRL, oldest first. */
    private List<Map<String, Object>> generationCrls() {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (int n : crls.numbers()) {
            io.upki.ca.crl.CrlService service = crls.service(n);
            if (service != null) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("generation", n);
                entry.put("crl", base64(service.current().der()));
                out.add(entry);
            }
        }
        return out;
    }

    /** The operations port (5000). */
    public TaskRouter operations(WireCodec codec) {
        return new TaskRouter(codec)
                .guardedBy(access::checkOperation)
                .route(name(CaTask.GET_CA), Lane.QUICK, p -> generations.current().ca().pem())
                .route(name(CaTask.GET_CA_CHAIN), Lane.QUICK, p -> chainPem())
                .route(name(CaTask.GET_CRL), Lane.QUICK, p -> base64(crl(p).der()))
                .route(name(CaTask.GET_CRLS), Lane.QUICK, p -> generationCrls())
                .route(name(CaTask.GENERATE_CRL), Lane.SIGNING, audited(CaTask.GENERATE_CRL, p -> base64(crls.generate().der())))
                .route(name(CaTask.GENERATE_DELTA_CRL), Lane.SIGNING, audited(CaTask.GENERATE_DELTA_CRL, p -> deltaCrl(true)))
                .route(name(CaTask.GET_DELTA_CRL), Lane.QUICK, p -> deltaCrl(false))
                .route(name(CaTask.LIST_PROFILES), Lane.QUICK, p -> profiles.names())
                .route(name(CaTask.GET_PROFILE), Lane.QUICK, p -> issuance.profile(p.requireString("profile")).toDocument())
                .route(name(CaTask.LIST_ADMINS), Lane.QUICK, p -> admins.list())
                .route(name(CaTask.ADD_ADMIN), Lane.QUICK, audited(CaTask.ADD_ADMIN, p -> done(() -> admins.add(p.requireString("dn")))))
                .route(name(CaTask.REMOVE_ADMIN), Lane.QUICK, audited(CaTask.REMOVE_ADMIN, p -> done(() -> admins.remove(p.requireString("dn")))))
                .route(name(CaTask.REGISTER), Lane.KEYGEN, audited(CaTask.REGISTER, this::registerOnOperations))
                .route(name(CaTask.GENERATE), Lane.KEYGEN, audited(CaTask.GENERATE, this::generate))
                .route(name(CaTask.SIGN), Lane.SIGNING, audited(CaTask.SIGN, this::sign))
                .route(name(CaTask.RENEW), Lane.SIGNING, audited(CaTask.RENEW, this::renew))
                .route(name(CaTask.RENEW_CSR), Lane.SIGNING, audited(CaTask.RENEW_CSR, this::renewCsr))
                .route(name(CaTask.REVOKE), Lane.QUICK, audited(CaTask.REVOKE, this::revoke))
                .route(name(CaTask.UNREVOKE), Lane.QUICK, audited(CaTask.UNREVOKE, (p, caller) -> done(() ->
                        revocation.unrevoke(permitted(caller, CaTask.UNREVOKE, target(p))))))
                .route(name(CaTask.DELETE), Lane.QUICK, audited(CaTask.DELETE, (p, caller) -> done(() -> revocation.revoke(
                        permitted(caller, CaTask.DELETE, target(p)), RevocationReason.CESSATION_OF_OPERATION))))
                .route(name(CaTask.LIST_CLIENTS), Lane.QUICK, p -> clients())
                .route(name(CaTask.ADD_CLIENT), Lane.QUICK, audited(CaTask.ADD_CLIENT, this::addClient))
                .route(name(CaTask.REMOVE_CLIENT), Lane.QUICK, audited(CaTask.REMOVE_CLIENT, (p, caller) -> done(() ->
                        access.registry().remove(p.requireString("public_key"), caller.describe()))))
                .route(name(CaTask.VIEW), Lane.QUICK, p -> inspector.view(target(p)))
                .route(name(CaTask.OCSP_CHECK), Lane.QUICK, this::ocspCheck)
                .route(name(CaTask.LIST_NODES), Lane.QUICK, this::listNodes)
                .route(name(CaTask.GET_NODE), Lane.QUICK, p -> inspector.node(nodeTarget(p)));
    }

    /** The registration port (5001): only {@code register} and {@code status}. */
    public TaskRouter registration(WireCodec codec) {
        return new TaskRouter(codec)
                .route(name(CaTask.REGISTER), Lane.KEYGEN, audited(CaTask.REGISTER, (p, caller) -> {
                    String seed = p.requireString("seed");
                    String cn = p.requireString("cn");
                    return registration.registerNode(seed, cn, p.string("profile", DEFAULT_REGISTRATION_PROFILE),
                            p.sans(), caller);
                }))
                .route(name(CaTask.STATUS), Lane.QUICK, (p, caller) -> registration.status(p.optionalString("cn"),
                        p.optionalString("seed"), caller))
                .route(name(CaTask.ENROL), Lane.QUICK, audited(CaTask.ENROL, (p, caller) -> registration.enrolOperator(
                        p.requireString("seed"), p.requireString("name"), caller)));
    }

    private Object clients() {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (var c : access.registry().list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("public_key", c.publicKey());
            m.put("name", c.name());
            m.put("role", c.role());
            m.put("added_at", CertificateInspector.isoTime(c.addedAt()));
            out.add(m);
        }
        return out;
    }

    private Object addClient(Params p, Caller caller) {
        String roleName = p.requireString("role");
        Role role = Role.fromWireName(roleName).orElseThrow(() -> new CaProtocolException(CaErrorCode.VALIDATION,
                "role: " + Role.notOneOf(roleName)));
        var client = access.registry().add(p.requireString("public_key"), p.requireString("name"), role,
                caller.describe());
        return Map.of("public_key", client.publicKey(), "name", client.name(), "role", client.role());
    }

    /** The record a task acts on, once the caller is allowed to act on its profile. */
    private CertificateRecord permitted(Caller caller, CaTask task, CertificateRecord record) {
        access.checkProfile(caller, task.wireName(), record.profile());
        return record;
    }

    private Object registerOnOperations(Params p) {
        String seed = p.requireString("seed");
        String cn = p.requireString("cn");
        return registration.registerOnOperations(seed, cn, p.string("profile", DEFAULT_PROFILE), p.sans());
    }

    private Object generate(Params p, Caller caller) {
        String cn = p.requireString("cn");
        String profile = p.string("profile", DEFAULT_PROFILE);
        access.checkProfile(caller, "generate", profile);
        IssuanceService.Issued issued = issuance.issueWithNewKey("generate", cn, profile, p.sans(), true);
        return new IssuedCertificate("/CN=" + cn, issued.certificatePem(), issued.serial());
    }

    private Object sign(Params p, Caller caller) {
        String csr = p.requireString("csr");
        String profile = p.string("profile", DEFAULT_PROFILE);
        access.checkProfile(caller, "sign", profile);
        IssuanceService.Issued issued = issuance.sign(csr, profile, p.optionalString("cn"));
        return new SignedCertificate(issued.certificatePem(), issued.serial());
    }

    private Object renew(Params p, Caller caller) {
        CertificateRecord existing = permitted(caller, CaTask.RENEW, target(p));
        IssuanceService.Issued issued = issuance.renew(existing, p.optionalPositiveInt("duration", 36_500));
        return new SignedCertificate(issued.certificatePem(), issued.serial());
    }

    private Object renewCsr(Params p, Caller caller) {
        String csr = p.requireString("csr");
        IssuanceService.Issued issued = renewal.renew(permitted(caller, CaTask.RENEW_CSR, target(p)), csr);
        return new SignedCertificate(issued.certificatePem(), issued.serial());
    }

    private Object revoke(Params p, Caller caller) {
        // Validate everything before touching the store: a bad reason changes nothing.
        RevocationReason reason = RevocationService.parseReason(
                p.optionalStringOrInteger("reason", "a reason name or an RFC 5280 reason code"));
        CertificateRecord record = permitted(caller, CaTask.REVOKE, target(p));
        revocation.revoke(record, reason);
        return true;
    }

    /** uPKI's {@code {cert}}, or {@code {serial}} as upki-ra sends it; without either, uPKI's missing-cert error. */
    private Object ocspCheck(Params p) {
        String cert = p.optionalString("cert");
        if (cert != null && !cert.isEmpty()) {
            return inspector.status(cert);
        }
        BigInteger serial = p.optionalSerial("serial");
        if (serial == null) {
            throw CaProtocolException.missingParameter("cert");
        }
        return inspector.status(serial);
    }

    /**
     * uPKI's plain list (every node, or a {@code limit}/{@code offset} window of them); with a {@code filter}
     * object (upki), one filtered page and the number that match ({@link NodeQuery}).
     */
    private Object listNodes(Params p) {
        Integer limit = p.optionalPositiveInt("limit", MAX_PAGE);
        Integer offset = p.optionalNonNegativeInt("offset");
        Params filter = p.optionalObject("filter");
        if (filter == null) {
            return inspector.nodes(offset == null ? 0 : offset, limit == null ? Integer.MAX_VALUE : limit);
        }
        NodeQuery query;
        try {
            query = new NodeQuery(filter.optionalString("q"), filter.optionalString("cn"),
                    filter.optionalString("profile"), filter.optionalString("state"),
                    filter.optionalInstant("expiring_before"), offset == null ? 0 : offset,
                    limit == null ? DEFAULT_PAGE : limit);
        } catch (IllegalArgumentException e) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "filter: " + e.getMessage());
        }
        return inspector.page(query);
    }

    /** The certificate named by {@code serial} or {@code dn}. */
    private CertificateRecord target(Params p) {
        var serial = p.optionalSerial("serial");
        if (serial != null) {
            return lookup.resolve(null, serial);
        }
        return lookup.resolve(p.requireString("dn"), null);
    }

    /** {@code get_node} names its node by {@code cn} (uPKI) or, like the other tasks, {@code dn}/{@code serial}. */
    private CertificateRecord nodeTarget(Params p) {
        String cn = p.optionalString("cn");
        if (cn != null && !cn.isEmpty()) {
            return lookup.resolve(cn, null);
        }
        if (p.optionalSerial("serial") == null && p.optionalString("dn") == null) {
            throw CaProtocolException.missingParameter("cn");
        }
        return target(p);
    }

    /**
     * A state-changing task: its refusal or failure is audited here with what the request named (never
     * its CSR or seed); its success is audited by the use case, which knows the certificate.
     */
    private TaskHandler audited(CaTask task, TaskHandler handler) {
        CallerHandler withCaller = audited(task, (p, caller) -> handler.handle(p));
        return p -> withCaller.handle(p, Caller.PLAIN);
    }

    /** As {@link #audited(CaTask, TaskHandler)} for a task that needs to know its caller. */
    private CallerHandler audited(CaTask task, CallerHandler handler) {
        boolean timed = TIMED.contains(task);
        return (p, caller) -> {
            try {
                return timed ? timer.run(name(task), p, params -> handler.handle(params, caller))
                        : handler.handle(p, caller);
            } catch (RuntimeException e) {
                boolean refused = e instanceof CaProtocolException;
                String reason = refused ? ((CaProtocolException) e).wireMessage() : "internal error";
                audit.record(name(task), refused ? "refused" : "error", "reason", shorten(reason),
                        "serial", quietly(() -> AuditTrail.serial(p.optionalSerial("serial"))), "dn", quietly(() -> shorten(p.optionalString("dn"))),
                        "cn", quietly(() -> shorten(p.optionalString("cn"))),
                        "profile", quietly(() -> shorten(p.optionalString("profile"))));
                throw e;
            }
        };
    }

    /** A parameter for an audit line, or null when it is absent or malformed (the refusal says why). */
    private static Object quietly(java.util.function.Supplier<Object> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String shorten(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static Object done(Runnable action) {
        action.run();
        return true;
    }

    private static String name(CaTask task) {
        return task.wireName();
    }

    private static String base64(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }

}
