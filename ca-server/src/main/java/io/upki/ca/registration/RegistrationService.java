package io.upki.ca.registration;

import io.upki.ca.access.AccessPolicy;
import io.upki.ca.access.Caller;
import io.upki.ca.access.Role;
import io.upki.ca.audit.AuditLog;
import io.upki.ca.authority.CertificateAuthority;
import io.upki.ca.authority.RegistrationSeed;
import io.upki.ca.inspect.CertificateInspector;
import io.upki.ca.issue.IssuanceService;
import io.upki.ca.store.NodeRepository;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.IssuedCertificate;
import io.upki.pki.wire.RaRegistration;
import io.upki.pki.wire.RegistrationStatus;
import io.upki.pki.wire.SubjectAltName;
import io.upki.pki.x509.Pem;
import java.time.Clock;
import java.util.List;

/**
 * Registration with the seed. On the registration port the node receives its private key with its
 * certificate (the RA bootstrap); on the operations port the CA keeps the key, as uPKI does. In both
 * cases the seed is checked (uPKI only requires it on the operations port).
 *
 * <p>Under CURVE, registering also enrols the caller's public key (RFC 26 handshake key) with the role
 * its profile implies ({@code ra} or {@code sidecar}), so that the same key may then use the operations
 * port within that role; {@code enrol} makes the first operator key known the same way.
 */
public final class RegistrationService {
    private final RegistrationSeed seed;
    private final IssuanceService issuance;
    private final NodeRepository nodes;
    private final java.util.function.Supplier<CertificateAuthority> ca;
    private final Clock clock;
    private final AccessPolicy access;

    public RegistrationService(RegistrationSeed seed, IssuanceService issuance, NodeRepository nodes,
                               CertificateAuthority ca, Clock clock, AccessPolicy access) {
        this(seed, issuance, nodes, () -> ca, clock, access);
    }

    /** @param ca the current issuing CA, handed to each node that registers (it changes at a rollover) */
    public RegistrationService(RegistrationSeed seed, IssuanceService issuance, NodeRepository nodes,
                               java.util.function.Supplier<CertificateAuthority> ca, Clock clock, AccessPolicy access) {
        this.access = access;
        this.seed = seed;
        this.issuance = issuance;
        this.nodes = nodes;
        this.ca = ca;
        this.clock = clock;
    }

    private void checkSeed(String candidate, String cn) {
        if (!seed.matches(candidate)) {
            // Audited as a refused register (with the CN asked for) by the route, like every refusal.
            throw new CaProtocolException(CaErrorCode.COMMUNICATION, "Invalid registration seed");
        }
    }

    /** {@code register} on the registration port: the caller receives key, certificate and CA. */
    public RaRegistration registerNode(String candidateSeed, String cn, String profile, List<SubjectAltName> sans,
                                       Caller caller) {
        checkSeed(candidateSeed, cn);
        if (!caller.plain()) {
            Role role = access.registrationRole(caller, profile);
            access.registry().enrol(caller.publicKey(), cn, role);
        }
        IssuanceService.Issued issued = AuditLog.actingAs(AuditLog.REGISTRATION_SEED,
                () -> issuance.issueWithNewKey("register", cn, profile, sans, false));
        nodes.save(new NodeRepository.Registration(cn, profile, clock.instant(), issued.serial()));
        return new RaRegistration("registered", cn, profile, issued.certificatePem(),
                Pem.encodePrivateKey(issued.keyPair().getPrivate(), null), ca.get().pem());
    }

    /** {@code register} on the operations port: the CA keeps the key, as for {@code generate}. */
    public IssuedCertificate registerOnOperations(String candidateSeed, String cn, String profile,
                                                  List<SubjectAltName> sans) {
        checkSeed(candidateSeed, cn);
        IssuanceService.Issued issued = AuditLog.actingAs(AuditLog.REGISTRATION_SEED,
                () -> issuance.issueWithNewKey("register", cn, profile, sans, true));
        nodes.save(new NodeRepository.Registration(cn, profile, clock.instant(), issued.serial()));
        return new IssuedCertificate("/CN=" + cn, issued.certificatePem(), issued.serial());
    }

    /**
     * {@code enrol}: the first operator key of a CURVE CA, authenticated by the seed; refused once an
     * operator exists (the next ones are added by an operator).
     */
    public java.util.Map<String, String> enrolOperator(String candidateSeed, String name, Caller caller) {
        checkSeed(candidateSeed, name);
        if (caller.plain()) {
            throw new CaProtocolException(CaErrorCode.PERMISSION,
                    "enrol needs a CURVE connection: this CA runs with --client-auth none");
        }
        access.registry().enrolFirstOperator(caller.publicKey(), name);
        return java.util.Map.of("public_key", caller.publicKey(), "role", Role.OPERATOR.wireName());
    }

    /**
     * {@code status} as a caller asks it: under CURVE a key the CA does not know must give the seed,
     * as for {@code register} (it learns about registered nodes otherwise); known keys and the plain
     * protocol ask as in uPKI.
     */
    public RegistrationStatus status(String cn, String candidateSeed, Caller caller) {
        if (!caller.plain() && caller.role() == null) {
            checkSeed(candidateSeed, cn == null ? "" : cn);
        }
        return status(cn);
    }

    public RegistrationStatus status(String cn) {
        if (cn == null) {
            return RegistrationStatus.notRegistered();
        }
        return nodes.find(cn)
                .map(r -> new RegistrationStatus("registered", new RegistrationStatus.Node(r.commonName(),
                        r.profile(), CertificateInspector.isoTime(r.registeredAt()))))
                .orElse(RegistrationStatus.notRegistered());
    }
}
