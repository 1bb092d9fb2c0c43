package io.upki.pki.caclient;

import io.upki.pki.wire.CertificatePage;
import io.upki.pki.wire.CertificateStatus;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.IssuedCertificate;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.wire.RaRegistration;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.wire.SubjectAltName;
import java.math.BigInteger;
import java.util.List;

/**
 * Every CA task the other processes use, with its request and answer types: the one place a reader finds
 * what each task takes and gives (CA-PROTOCOL.md section 5). {@link TypedCaClient} implements it once over
 * any {@link CaClient} transport. Every method throws {@link CaClientException}: REJECTED with the CA's
 * {@link io.upki.pki.wire.CaErrorCode} (NOT_FOUND for an unknown certificate), UNAVAILABLE when no answer
 * came in time, PROTOCOL when the answer is not the task's type.
 */
public interface CertificateAuthorityClient {

    /** {@code get_ca}: the CA certificate, PEM. */
    String caCertificate();

    /** {@code get_ca_chain} (upki): the CA certificate followed by its chain up to the root, PEM. */
    String caChain();

    /** {@code get_crl}: the current CRL (the CA signs one when none is current). */
    CrlBytes currentCrl();

    /** {@code generate_crl}: a CRL signed now. */
    CrlBytes generateCrl();

    /** {@code generate_delta_crl} (upki): a CRL signed now, with the delta CRL issued with it when there is one. */
    DeltaCrlBytes generateDeltaCrl();

    /** {@code get_delta_crl} (upki): the current CRL's number, with the delta CRL issued with it when there is one. */
    DeltaCrlBytes currentDeltaCrl();

    /** {@code list_profiles}. */
    List<String> profileNames();

    /** {@code get_profile {profile}}. */
    ProfileDocument profile(String name);

    /** {@code list_admins}: the admin DNs, each as first added. */
    List<String> admins();

    /** {@code add_admin {dn}}. */
    void addAdmin(String dn);

    /** {@code remove_admin {dn}}. */
    void removeAdmin(String dn);

    /** {@code sign {csr, profile, cn?}}. */
    SignedCertificate sign(SignRequest request);

    /** {@code generate {cn, profile, sans}}: the CA makes and keeps the key. */
    IssuedCertificate generate(String cn, String profile, List<SubjectAltName> sans);

    /** {@code renew {dn|serial, duration?}}: same subject, key and profile; {@code durationDays} may be null. */
    SignedCertificate renew(CertificateId target, Integer durationDays);

    /**
     * {@code renew_csr {dn|serial, csr}} (upki): one atomic task that checks the CSR names exactly the
     * target's subject and SANs, issues with its profile and revokes the target as superseded.
     */
    SignedCertificate renewWithCsr(CertificateId target, String csrPem);

    /** {@code revoke {dn|serial, reason}}. */
    void revoke(RevocationRequest request);

    /** {@code unrevoke {dn|serial}}: lifts a certificateHold. */
    void unrevoke(CertificateId target);

    /** {@code view {dn|serial}}. */
    CertificateView view(CertificateId target);

    /** {@code ocsp_check {serial}}: {@code unknown} for a serial this CA does not hold. */
    CertificateStatus status(BigInteger serial);

    /** {@code list_nodes {}}: every certificate, oldest first (uPKI's form). */
    List<NodeRecord> nodes();

    /** {@code list_nodes {filter, offset, limit}} (upki): one filtered page, counted. */
    CertificatePage nodes(NodeQuery query);

    /** {@code register {seed, cn, profile, sans}} on the registration port: a key and certificate for a node. */
    RaRegistration register(String seed, String cn, String profile, List<SubjectAltName> sans);

    /** {@code enrol {seed, name}} (upki, registration port, CURVE): the first operator key enrols itself. */
    ClientKey enrol(String seed, String name);

    /** {@code list_clients} (upki, operators). */
    List<ClientKey> clients();

    /** {@code add_client {public_key, name, role}} (upki, operators). */
    ClientKey addClient(String publicKey, String name, String role);

    /** {@code remove_client {public_key}} (upki, operators). */
    void removeClient(String publicKey);
}
