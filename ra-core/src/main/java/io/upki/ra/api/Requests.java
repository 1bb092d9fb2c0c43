package io.upki.ra.api;

import io.javalin.http.Context;
import io.upki.pki.caclient.CertificateId;
import io.upki.pki.x509.DistinguishedNames;
import io.upki.pki.x509.Pem;
import io.upki.pki.x509.RevocationReason;
import io.upki.ra.auth.Caller;
import java.math.BigInteger;
import org.bouncycastle.asn1.x500.X500Name;

/** What the API's routes read from a request: certificate names, reasons, DNs, CSRs and bounded numbers. */
public final class Requests {
    static final int MAX_CSR = 16 * 1024;

    private Requests() {
    }

    /**
     * The caller's own certificate: by serial (exact, upki's CA) and by CN (the Python uPKI CA knows
     * only CN lookups and ignores {@code serial}), so the RA works against either CA.
     */
    static CertificateId own(Caller caller) {
        String cn = null;
        try {
            cn = DistinguishedNames.commonName(DistinguishedNames.parse(caller.subject()));
        } catch (IllegalArgumentException e) {
            // no usable CN: the serial alone names the certificate
        }
        return new CertificateId(caller.serial(), cn);
    }

    /** A certificate named in a path: decimal serial, {@code 0x} hex serial, or a CN. */
    static CertificateId target(String id) throws ApiException {
        if (id.matches("[0-9]{1,60}")) {
            return CertificateId.serial(new BigInteger(id));
        }
        if (id.matches("0x[0-9a-fA-F]{1,50}")) {
            return CertificateId.serial(new BigInteger(id.substring(2), 16));
        }
        if (id.isBlank() || id.length() > 256) {
            throw new ApiException(400, "certificate id must be a serial or a CN");
        }
        return CertificateId.dn(id);
    }

    static String reason(com.fasterxml.jackson.databind.node.ObjectNode body) throws ApiException {
        String reason = Bodies.string(body, "reason", false, 64);
        if (reason == null) {
            return "unspecified";
        }
        return RevocationReason.fromWireName(reason).map(RevocationReason::wireName).orElseThrow(() ->
                new ApiException(400, "invalid revocation reason '" + reason + "', use one of " + RevocationReason.wireNames()));
    }

    static String dn(String dn) throws ApiException {
        if (dn == null || dn.isBlank()) {
            throw new ApiException(400, "a 'dn' is required");
        }
        return parsedDn(dn);
    }

    /** A DN given (not blank) that parses, stripped; else a 400 naming what is wrong with it. */
    public static String parsedDn(String dn) throws ApiException {
        try {
            DistinguishedNames.parse(dn);
            return dn.strip();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid DN: " + e.getMessage());
        }
    }

    static X500Name checkCsr(String csr) throws ApiException {
        try {
            return Pem.parseCsr(csr).getSubject();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "csr is not a PEM certificate request");
        }
    }

    static int intQuery(Context ctx, String name, int dflt, int max) throws ApiException {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + " must be an integer between 0 and " + max);
        }
    }
}
