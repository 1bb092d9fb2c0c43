package io.upki.cli.crl;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;

/**
 * What a person or a script wants to know about a CRL: its number (section 5.2.3), issuer, validity
 * window and each entry with its date and reason (section 5.3.1; an absent reasonCode means unspecified).
 */
public record CrlReport(BigInteger number, String issuer, String thisUpdate, String nextUpdate, int size,
                        List<Entry> entries) {

    /** One revoked certificate. */
    public record Entry(BigInteger serial, @JsonProperty("serial_hex") String serialHex,
                        @JsonProperty("revoked_at") String revokedAt, String reason) {
    }

    /** @throws CliException VERIFICATION when the bytes are not a CRL */
    public static CrlReport parse(byte[] der) {
        X509CRLHolder crl;
        try {
            crl = new X509CRLHolder(der);
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCode.VERIFICATION, "the CRL cannot be parsed: " + e.getMessage());
        }
        Extension numberExtension = crl.getExtension(Extension.cRLNumber);
        BigInteger number = numberExtension == null ? null
                : CRLNumber.getInstance(numberExtension.getParsedValue()).getCRLNumber();
        List<Entry> entries = new ArrayList<>();
        for (Object o : crl.getRevokedCertificates()) {
            X509CRLEntryHolder e = (X509CRLEntryHolder) o;
            Extension reasonExtension = e.getExtensions() == null ? null : e.getExtensions().getExtension(Extension.reasonCode);
            int code = reasonExtension == null ? CRLReason.unspecified
                    : CRLReason.getInstance(reasonExtension.getParsedValue()).getValue().intValueExact();
            String reason = RevocationReason.fromCode(code).map(RevocationReason::wireName).orElse("code " + code);
            entries.add(new Entry(e.getSerialNumber(), e.getSerialNumber().toString(16),
                    e.getRevocationDate().toInstant().toString(), reason));
        }
        return new CrlReport(number, crl.getIssuer().toString(), crl.getThisUpdate().toInstant().toString(),
                crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant().toString(), der.length, entries);
    }

    /** The report without its entries (for {@code generate-crl}). */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", number);
        m.put("issuer", issuer);
        m.put("this_update", thisUpdate);
        m.put("next_update", nextUpdate);
        m.put("entries", entries.size());
        m.put("size", size);
        return m;
    }
}
