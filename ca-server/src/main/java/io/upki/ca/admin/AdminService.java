package io.upki.ca.admin;

import io.upki.ca.audit.AuditLog;
import io.upki.ca.store.AdminRepository;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.x509.DistinguishedNames;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Administrator DNs. Unlike uPKI, a change is visible to the next {@code list_admins} at once, and a
 * DN equal to one already listed (RFC 5280 section 7.1 matching, slash or RFC 4514 form) is stored once.
 */
public final class AdminService {
    private final AdminRepository admins;
    private final AuditLog audit;

    public AdminService(AdminRepository admins, AuditLog audit) {
        this.admins = admins;
        this.audit = audit;
    }

    public List<String> list() {
        return admins.list();
    }

    public void add(String dn) {
        boolean added = admins.add(dn.strip(), key(dn));
        audit.record("add_admin", added ? "ok" : "already-listed", "dn", dn);
    }

    public void remove(String dn) {
        boolean removed = admins.remove(key(dn));
        audit.record("remove_admin", removed ? "ok" : "not-listed", "dn", dn);
    }

    private static String key(String dn) {
        X500Name name;
        try {
            name = DistinguishedNames.parse(dn);
        } catch (IllegalArgumentException e) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Invalid DN '" + dn + "': " + e.getMessage());
        }
        return DistinguishedNames.canonicalKey(name);
    }
}
