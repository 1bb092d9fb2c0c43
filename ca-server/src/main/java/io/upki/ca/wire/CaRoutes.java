package io.upki.ca.wire;

import io.upki.ca.admin.AdminService;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.crl.CrlService;
import io.upki.ca.inspect.CertificateInspector;
import io.upki.ca.issue.CsrRenewal;
import io.upki.ca.issue.IssuanceService;
import io.upki.ca.lookup.CertificateLookup;
import io.upki.ca.profile.ProfileRegistry;
import io.upki.ca.registration.RegistrationService;
import io.upki.ca.revoke.RevocationService;
import io.upki.ca.store.CertificateRecord;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.IssuedCertificate;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.wire.WireCodec;
import io.upki.pki.x509.RevocationReason;
import java.math.BigInteger;
import java.util.Base64;

/**
 * The route tables of the two ports (CA-PROTOCOL.md section 5): one line per task, naming its lane.
 * Handlers only read parameters and call a use case; the use cases hold the logic.
 */
public final class CaRoutes {
    private static final String DEFAULT_PROFILE = "server";
    private static final String DEFAULT_REGISTRATION_PROFILE = "ra";
    private static final int MAX_PAGE = 10_000;

    private final CertificateAuthority ca;
    private final ProfileRegistry profiles;
    private final IssuanceService issuance;
    private final RevocationService revocation;
    private final CrlService crls;
    private final AdminService admins;
    private final CertificateLookup lookup;
    private final CertificateInspector inspector;
    private final RegistrationService registration;
    private final CsrRenewal renewal;
    private TaskTimer timer = TaskTimer.NONE;

    public CaRoutes(CertificateAuthority ca, ProfileRegistry profiles, IssuanceService issuance,
                    RevocationService revocation, CrlService crls, AdminService admins, CertificateLookup lookup,
                    CertificateInspector inspector, RegistrationService registration, CsrRenewal renewal) {
        this.ca = ca;
        this.profiles = profiles;
        this.issuance = issuance;
        this.revocation = revocation;
        this.crls = crls;
        this.admins = admins;
        this.lookup = lookup;
        this.inspector = inspector;
        this.registration = registration;
        this.renewal = renewal;
    }

    /** Times issuance and revocation tasks with {@code t} (metrics); call before building the routers. */
    public CaRoutes timedBy(TaskTimer t) {
        this.timer = t;
        return this;
    }

    private TaskHandler timed(CaTask task, TaskHandler handler) {
        String name = name(task);
        return p -> timer.run(name, p, handler);
    }

    /** The operations port (5000). */
    public TaskRouter operations(WireCodec codec) {
        return new TaskRouter(codec)
                .route(name(CaTask.GET_CA), Lane.QUICK, p -> ca.pem())
                .route(name(CaTask.GET_CRL), Lane.QUICK, p -> base64(crls.current().der()))
                .route(name(CaTask.GENERATE_CRL), Lane.SIGNING, p -> base64(crls.generate().der()))
                .route(name(CaTask.LIST_PROFILES), Lane.QUICK, p -> profiles.names())
                .route(name(CaTask.GET_PROFILE), Lane.QUICK, p -> issuance.profile(p.requireString("profile")).toDocument())
                .route(name(CaTask.LIST_ADMINS), Lane.QUICK, p -> admins.list())
                .route(name(CaTask.ADD_ADMIN), Lane.QUICK, p -> done(() -> admins.add(p.requireString("dn"))))
                .route(name(CaTask.REMOVE_ADMIN), Lane.QUICK, p -> done(() -> admins.remove(p.requireString("dn"))))
                .route(name(CaTask.REGISTER), Lane.KEYGEN, timed(CaTask.REGISTER, this::registerOnOperations))
                .route(name(CaTask.GENERATE), Lane.KEYGEN, timed(CaTask.GENERATE, this::generate))
                .route(name(CaTask.SIGN), Lane.SIGNING, timed(CaTask.SIGN, this::sign))
                .route(name(CaTask.RENEW), Lane.SIGNING, timed(CaTask.RENEW, this::renew))
                .route(name(CaTask.RENEW_CSR), Lane.SIGNING, timed(CaTask.RENEW_CSR, this::renewCsr))
                .route(name(CaTask.REVOKE), Lane.QUICK, timed(CaTask.REVOKE, this::revoke))
                .route(name(CaTask.UNREVOKE), Lane.QUICK, timed(CaTask.UNREVOKE, p -> done(() -> revocation.unrevoke(target(p)))))
                .route(name(CaTask.DELETE), Lane.QUICK, timed(CaTask.DELETE, p -> done(() ->
                        revocation.revoke(target(p), RevocationReason.CESSATION_OF_OPERATION))))
                .route(name(CaTask.VIEW), Lane.QUICK, p -> inspector.view(target(p)))
                .route(name(CaTask.OCSP_CHECK), Lane.QUICK, this::ocspCheck)
                .route(name(CaTask.LIST_NODES), Lane.QUICK, this::listNodes)
                .route(name(CaTask.GET_NODE), Lane.QUICK, p -> inspector.node(nodeTarget(p)));
    }

    /** The registration port (5001): only {@code register} and {@code status}. */
    public TaskRouter registration(WireCodec codec) {
        return new TaskRouter(codec)
                .route(name(CaTask.REGISTER), Lane.KEYGEN, timed(CaTask.REGISTER, p -> {
                    String seed = p.requireString("seed");
                    String cn = p.requireString("cn");
                    return registration.registerNode(seed, cn, p.string("profile", DEFAULT_REGISTRATION_PROFILE),
                            p.sans());
                }))
                .route(name(CaTask.STATUS), Lane.QUICK, p -> registration.status(p.optionalString("cn")));
    }

    private Object registerOnOperations(Params p) {
        String seed = p.requireString("seed");
        String cn = p.requireString("cn");
        return registration.registerOnOperations(seed, cn, p.string("profile", DEFAULT_PROFILE), p.sans());
    }

    private Object generate(Params p) {
        String cn = p.requireString("cn");
        IssuanceService.Issued issued = issuance.issueWithNewKey("generate", cn, p.string("profile", DEFAULT_PROFILE),
                p.sans(), true);
        return new IssuedCertificate("/CN=" + cn, issued.certificatePem(), issued.serial());
    }

    private Object sign(Params p) {
        String csr = p.requireString("csr");
        IssuanceService.Issued issued = issuance.sign(csr, p.string("profile", DEFAULT_PROFILE), p.optionalString("cn"));
        return new SignedCertificate(issued.certificatePem(), issued.serial());
    }

    private Object renew(Params p) {
        CertificateRecord existing = target(p);
        IssuanceService.Issued issued = issuance.renew(existing, p.optionalPositiveInt("duration", 36_500));
        return new SignedCertificate(issued.certificatePem(), issued.serial());
    }

    private Object renewCsr(Params p) {
        String csr = p.requireString("csr");
        IssuanceService.Issued issued = renewal.renew(target(p), csr);
        return new SignedCertificate(issued.certificatePem(), issued.serial());
    }

    private Object revoke(Params p) {
        // Validate everything before touching the store: a bad reason changes nothing.
        RevocationReason reason = RevocationService.parseReason(
                p.optionalStringOrInteger("reason", "a reason name or an RFC 5280 reason code"));
        CertificateRecord record = target(p);
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

    private Object listNodes(Params p) {
        Integer limit = p.optionalPositiveInt("limit", MAX_PAGE);
        Integer offset = p.optionalNonNegativeInt("offset");
        return inspector.nodes(offset == null ? 0 : offset, limit == null ? Integer.MAX_VALUE : limit);
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
