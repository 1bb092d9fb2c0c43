package io.upki.ca.issue;

import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.wire.SubjectAltName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/**
 * What a subject may contain: CN length (RFC 5280 upper bound ub-common-name, 64), no '/' in any
 * attribute value, and SANs of the types uPKI accepts, with uPKI's validation messages and reserved names.
 */
public final class SubjectRules {
    /** Names that cannot identify anything in a private PKI (RFC 6761 special-use names). */
    private static final Set<String> RESERVED = Set.of("localhost", "local", "invalid", "test");
    private static final int MAX_CN = 64;

    private SubjectRules() {
    }

    public static void checkCommonName(String cn) {
        if (cn == null || cn.isBlank()) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Common Name cannot be empty");
        }
        if (cn.length() > MAX_CN) {
            throw new CaProtocolException(CaErrorCode.VALIDATION,
                    "Common Name exceeds maximum length of " + MAX_CN + " characters");
        }
        for (int i = 0; i < cn.length(); i++) {
            if (Character.isISOControl(cn.charAt(i))) {
                throw new CaProtocolException(CaErrorCode.VALIDATION,
                        "Common Name '" + cn.replaceAll("\\p{Cntrl}", "?") + "' contains invalid characters");
            }
        }
        if (cn.indexOf('/') >= 0) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Subject attribute CN '" + printable(cn)
                    + "' must not contain '/': its slash-form DN would be ambiguous");
        }
    }

    /**
     * Refuses a '/' in any attribute value of a subject: uPKI names certificates by the slash form
     * ({@code /C=FR/O=Company/CN=x}), in which {@code CN=a/O=b} could not be told from two attributes.
     */
    public static void checkSubject(X500Name subject) {
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String value = atv.getValue() instanceof ASN1String str ? str.getString() : atv.getValue().toString();
                if (value.indexOf('/') >= 0) {
                    String name = BCStyle.INSTANCE.oidToDisplayName(atv.getType());
                    throw new CaProtocolException(CaErrorCode.VALIDATION, "Subject attribute "
                            + (name == null ? atv.getType().getId() : name) + " '" + printable(value)
                            + "' must not contain '/': its slash-form DN would be ambiguous");
                }
            }
        }
    }

    private static String printable(String value) {
        String shown = value.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 64 ? shown.substring(0, 64) + "..." : shown;
    }

    /** Validates wire SANs and converts them to GeneralNames (RFC 5280 section 4.2.1.6). */
    public static List<GeneralName> toGeneralNames(List<SubjectAltName> sans) {
        List<GeneralName> names = new ArrayList<>();
        for (SubjectAltName san : sans) {
            names.add(toGeneralName(san));
        }
        return names;
    }

    static GeneralName toGeneralName(SubjectAltName san) {
        if (san.type() == null || san.type().isBlank()) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "SAN type is required");
        }
        if (san.value() == null || san.value().isBlank()) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "SAN value is required");
        }
        String value = san.value().strip();
        switch (san.type().toUpperCase(Locale.ROOT)) {
            case "DNS" -> {
                checkDomain(value);
                return new GeneralName(GeneralName.dNSName, value.toLowerCase(Locale.ROOT));
            }
            case "IP" -> {
                if (!IPAddress.isValid(value)) {
                    throw new CaProtocolException(CaErrorCode.VALIDATION, "Invalid IP address: " + value);
                }
                return new GeneralName(GeneralName.iPAddress, value);
            }
            case "EMAIL" -> {
                int at = value.indexOf('@');
                if (at <= 0 || at != value.lastIndexOf('@') || at == value.length() - 1 || value.contains(" ")) {
                    throw new CaProtocolException(CaErrorCode.VALIDATION, "Invalid email address: " + value);
                }
                return new GeneralName(GeneralName.rfc822Name, value);
            }
            case "URI" -> {
                try {
                    URI uri = new URI(value);
                    if (uri.getScheme() == null) {
                        throw new URISyntaxException(value, "no scheme");
                    }
                } catch (URISyntaxException e) {
                    throw new CaProtocolException(CaErrorCode.VALIDATION, "Invalid URI: " + value);
                }
                return new GeneralName(GeneralName.uniformResourceIdentifier, value);
            }
            default -> throw new CaProtocolException(CaErrorCode.VALIDATION,
                    "SAN type '" + san.type() + "' is not supported. Allowed: [DNS, IP, EMAIL, URI]");
        }
    }

    /** uPKI's FQDN rules for DNS names (RFC 1035 lengths, a wildcard only as the whole first label). */
    public static void checkDomain(String fqdn) {
        if (fqdn.isEmpty()) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Domain name cannot be empty");
        }
        if (fqdn.length() > 253) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Domain name exceeds maximum length of 253 characters");
        }
        String lower = fqdn.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower)) {
            throw new CaProtocolException(CaErrorCode.VALIDATION, "Domain '" + fqdn + "' is reserved and cannot be used");
        }
        String[] labels = lower.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.contains("*")) {
                if (i != 0 || !label.equals("*") || labels.length < 3) {
                    throw new CaProtocolException(CaErrorCode.VALIDATION,
                            "Wildcard patterns other than *.example.com are not allowed");
                }
                continue;
            }
            if (label.length() > 63) {
                throw new CaProtocolException(CaErrorCode.VALIDATION,
                        "Domain label '" + label + "' exceeds maximum length of 63 characters");
            }
            if (label.isEmpty() || !label.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?|[a-z0-9_]([a-z0-9_-]*[a-z0-9])?")) {
                throw new CaProtocolException(CaErrorCode.VALIDATION, "Domain label '" + label
                        + "' contains invalid characters. Only alphanumeric characters and hyphens are allowed.");
            }
        }
    }

    /** True when a CN can stand as a DNS name (used to add it as a SAN for server profiles). */
    public static boolean looksLikeHostname(String cn) {
        try {
            checkDomain(cn);
            return cn.contains(".") || cn.matches("[A-Za-z0-9-]+");
        } catch (CaProtocolException e) {
            return false;
        }
    }

    /** Validates SANs that arrived in a CSR the same way as SANs sent on the wire. */
    public static void checkGeneralNames(GeneralNames names) {
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() == GeneralName.dNSName) {
                checkDomain(name.getName().toString());
            }
        }
    }
}
