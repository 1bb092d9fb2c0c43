package io.upki.pki.x509;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Conversions between uPKI's slash form ({@code /C=FR/O=Company/CN=x}), RFC 4514 strings and
 * BouncyCastle {@link X500Name}, always through parsed ASN.1 rather than string surgery.
 */
public final class DistinguishedNames {
    private DistinguishedNames() {
    }

    /**
     * Parses a DN given in slash form (leading {@code /}) or as an RFC 4514 string.
     *
     * @throws IllegalArgumentException when the text is not a DN
     */
    public static X500Name parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty distinguished name");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("/")) {
            return parseSlash(trimmed);
        }
        // RFC 4514 lists the most significant RDN last; BouncyCastle keeps the written order, so
        // reverse it to get the X.500 (ASN.1) order.
        RDN[] rdns = BCStyle.INSTANCE.fromString(trimmed);
        if (rdns.length == 0) {
            throw new IllegalArgumentException("empty distinguished name");
        }
        List<RDN> reversed = new ArrayList<>(List.of(rdns));
        Collections.reverse(reversed);
        return new X500Name(BCStyle.INSTANCE, reversed.toArray(RDN[]::new));
    }

    private static X500Name parseSlash(String text) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        // Split on "/" that starts a new "TYPE=" component, so values may themselves contain "/".
        List<String> parts = new ArrayList<>();
        StringBuilder current = null;
        for (String piece : text.substring(1).split("/", -1)) {
            int eq = piece.indexOf('=');
            boolean startsAttribute = eq > 0 && isAttributeName(piece.substring(0, eq));
            if (current == null || startsAttribute) {
                if (current != null) {
                    parts.add(current.toString());
                }
                current = new StringBuilder(piece);
            } else {
                current.append('/').append(piece);
            }
        }
        if (current != null) {
            parts.add(current.toString());
        }
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a DN component: " + part);
            }
            ASN1ObjectIdentifier oid = attributeType(part.substring(0, eq));
            builder.addRDN(oid, part.substring(eq + 1));
        }
        X500Name name = builder.build();
        if (name.getRDNs().length == 0) {
            throw new IllegalArgumentException("empty distinguished name");
        }
        return name;
    }

    private static boolean isAttributeName(String name) {
        try {
            attributeType(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ASN1ObjectIdentifier attributeType(String name) {
        String n = name.strip();
        if (n.isEmpty()) {
            throw new IllegalArgumentException("empty attribute type");
        }
        try {
            return BCStyle.INSTANCE.attrNameToOID(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown attribute type: " + n);
        }
    }

    /** uPKI's slash form, most significant RDN first: {@code /C=FR/O=Company/OU=Admins/CN=x}. */
    public static String toSlash(X500Name name) {
        StringBuilder sb = new StringBuilder();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                sb.append('/').append(shortName(atv.getType())).append('=').append(valueText(atv.getValue()));
            }
        }
        return sb.toString();
    }

    /** The RFC 4514 string, most significant RDN last: {@code CN=x,OU=Admins,O=Company,C=FR}. */
    public static String toRfc4514(X500Name name) {
        RDN[] rdns = name.getRDNs();
        RDN[] reversed = new RDN[rdns.length];
        for (int i = 0; i < rdns.length; i++) {
            reversed[i] = rdns[rdns.length - 1 - i];
        }
        return BCStyle.INSTANCE.toString(new X500Name(reversed));
    }

    /**
     * A string equal for two names exactly when RFC 5280 section 7.1 name matching says they are equal
     * (attribute types by OID, values case-folded and space-normalised), for use as an index key.
     */
    public static String canonicalKey(X500Name name) {
        StringBuilder sb = new StringBuilder();
        for (RDN rdn : name.getRDNs()) {
            sb.append('/');
            boolean first = true;
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (!first) {
                    sb.append('+');
                }
                first = false;
                sb.append(atv.getType().getId()).append('=').append(IETFUtils.canonicalString(atv.getValue()));
            }
        }
        return sb.toString();
    }

    /** The last (most specific) common name, or null when the name has none. */
    public static String commonName(X500Name name) {
        RDN[] cns = name.getRDNs(BCStyle.CN);
        if (cns.length == 0) {
            return null;
        }
        return valueText(cns[cns.length - 1].getFirst().getValue());
    }

    /** The attribute value as plain text (no RFC 4514 escaping). */
    public static String valueText(ASN1Encodable value) {
        if (value instanceof ASN1String s) {
            return s.getString();
        }
        return IETFUtils.valueToString(value);
    }

    /** True when the name consists of a single CN attribute, such as uPKI's {@code /CN=x}. */
    public static boolean isCommonNameOnly(X500Name name) {
        RDN[] rdns = name.getRDNs();
        return rdns.length == 1 && !rdns[0].isMultiValued() && rdns[0].getFirst().getType().equals(BCStyle.CN);
    }

    private static String shortName(ASN1ObjectIdentifier oid) {
        String symbol = BCStyle.INSTANCE.oidToDisplayName(oid);
        return symbol == null ? oid.getId() : symbol.toUpperCase(Locale.ROOT).equals("E") ? "emailAddress" : symbol;
    }
}
