package io.upki.cli.transport;

import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.x509.RevocationReason;
import java.util.List;

/**
 * The CA operations upki-cli needs, whichever way it reaches them. Every method throws
 * {@link io.upki.cli.CliException}: REFUSED when the CA or RA said no (with its reason), UNREACHABLE
 * when no answer came within the timeout.
 */
public interface Authority extends AutoCloseable {

    /** Where requests go, for messages: {@code tcp://host:port} or the RA's URL. */
    String endpoint();

    /** The CA certificate, PEM. */
    String caCertificate();

    /** The current CRL, DER (the CA signs one when none is current). */
    byte[] crl();

    /** Signs a new CRL now and returns it, DER. */
    byte[] generateCrl();

    List<String> profileNames();

    ProfileDocument profile(String name);

    SignedCertificate sign(String csrPem, String profile);

    /** A new certificate for the same subject, key and profile; {@code durationDays} may be null. */
    SignedCertificate renew(CertificateRef target, Integer durationDays);

    void revoke(CertificateRef target, RevocationReason reason);

    CertificateView view(CertificateRef target);

    /** Issued certificates, oldest first, after the filter (null fields match anything). */
    List<NodeRecord> list(NodeFilter filter, int offset, int limit);

    List<String> admins();

    void addAdmin(String dn);

    void removeAdmin(String dn);

    @Override
    void close();

    /** Which certificates {@link #list} returns; a null field matches every certificate. */
    record NodeFilter(String state, String profile, String cn) {
        public boolean matches(NodeRecord node) {
            return (state == null || state.equals(node.state())) && (profile == null || profile.equals(node.profile()))
                    && (cn == null || cn.equals(node.cn()));
        }
    }
}
