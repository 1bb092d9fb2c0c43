package io.upki.cli.issue;

import io.upki.cli.context.CliException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.util.IPAddress;

/**
 * The names a CSR carries: the subject built from the profile as the CA's own {@code generate} builds
 * it (C, ST, L, O, OU from the profile, then the CN), and SANs from {@code --san TYPE:VALUE}.
 */
final class SubjectNames {
    /** uPKI's DN order (CA-PROTOCOL.md section 7). */
    private static final List<String> ORDER = List.of("C", "ST", "L", "O", "OU");

    private SubjectNames() {
    }

    static X500Name subject(Map<String, String> profileSubject, String cn) {
        if (cn == null || cn.isBlank()) {
            throw CliException.usage("--cn must not be empty");
        }
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        Map<String, String> subject = profileSubject == null ? Map.of() : profileSubject;
        for (String key : ORDER) {
            String value = subject.get(key);
            if (value != null && !value.isEmpty()) {
                builder.addRDN(BCStyle.INSTANCE.attrNameToOID(key), value);
            }
        }
        builder.addRDN(BCStyle.CN, cn.strip());
        return builder.build();
    }

    /**
     * Parses {@code DNS:name}, {@code IP:address}, {@code EMAIL:address} or {@code URI:uri} (types are
     * case-insensitive, as in the CA protocol's SAN list).
     */
    static List<GeneralName> sans(List<String> specs) {
        List<GeneralName> names = new ArrayList<>();
        for (String spec : specs == null ? List.<String>of() : specs) {
            int colon = spec.indexOf(':');
            if (colon <= 0 || colon == spec.length() - 1) {
                throw CliException.usage("--san '" + spec + "': use TYPE:VALUE with TYPE one of DNS, IP, EMAIL, URI");
            }
            String type = spec.substring(0, colon).toUpperCase(Locale.ROOT);
            String value = spec.substring(colon + 1).strip();
            names.add(switch (type) {
                case "DNS" -> {
                    if (!value.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*\\.?")) {
                        throw CliException.usage("--san '" + spec + "': not a DNS name");
                    }
                    yield new GeneralName(GeneralName.dNSName, value);
                }
                case "IP" -> {
                    if (!IPAddress.isValid(value)) {
                        throw CliException.usage("--san '" + spec + "': not an IPv4 or IPv6 address");
                    }
                    yield new GeneralName(GeneralName.iPAddress, value);
                }
                case "EMAIL" -> {
                    if (!value.matches("[^@\\s]+@[^@\\s]+")) {
                        throw CliException.usage("--san '" + spec + "': not an email address");
                    }
                    yield new GeneralName(GeneralName.rfc822Name, value);
                }
                case "URI" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
                default -> throw CliException.usage("--san '" + spec + "': unknown type " + type
                        + " (use DNS, IP, EMAIL or URI)");
            });
        }
        return names;
    }

    /**
     * Like the CA's {@code generate}: a server certificate without SANs names its CN as a DNS SAN, since
     * TLS clients match only SANs (RFC 6125 section 6.4.4).
     */
    static List<GeneralName> withDefaultSan(List<GeneralName> given, boolean altnames, List<String> eku, String cn) {
        if (!given.isEmpty() || !altnames || eku == null || !eku.contains("serverAuth")
                || !cn.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            return given;
        }
        return List.of(new GeneralName(GeneralName.dNSName, cn.toLowerCase(Locale.ROOT)));
    }
}
