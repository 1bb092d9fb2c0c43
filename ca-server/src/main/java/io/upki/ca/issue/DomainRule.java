package io.upki.ca.issue;

import io.upki.ca.profile.Profile;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaProtocolException;
import io.upki.pki.x509.DistinguishedNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * A profile's {@code domain} (uPKI profile key; empty means no restriction) confines every name a
 * certificate of that profile may carry to that DNS domain and its subdomains: DNS SANs (a wildcard
 * included), a CN that reads as a dotted host name (legacy TLS clients match it, RFC 6125 section
 * 6.4.4), the domain part of e-mail SANs and the host of URI SANs. An IP address or any other name type
 * belongs to no domain and is refused under a restricted profile. Checked on every issuance path.
 */
final class DomainRule {
    private DomainRule() {
    }

    static void check(Profile profile, X500Name subject, List<GeneralName> sans) {
        String domain = normalise(profile.domain());
        if (domain.isEmpty()) {
            return;
        }
        String cn = DistinguishedNames.commonName(subject);
        if (cn != null && cn.contains(".") && SubjectRules.looksLikeHostname(cn) && !within(cn, domain)) {
            throw outside(profile, "Common Name '" + cn + "'", domain);
        }
        for (GeneralName name : sans) {
            String value = name.getName().toString();
            switch (name.getTagNo()) {
                case GeneralName.dNSName -> {
                    if (!within(value, domain)) {
                        throw outside(profile, "DNS name '" + value + "'", domain);
                    }
                }
                case GeneralName.rfc822Name -> {
                    int at = value.lastIndexOf('@');
                    if (at < 0 || !within(value.substring(at + 1), domain)) {
                        throw outside(profile, "e-mail address '" + value + "'", domain);
                    }
                }
                case GeneralName.uniformResourceIdentifier -> {
                    String host = host(value);
                    if (host == null || !within(host, domain)) {
                        throw outside(profile, "URI '" + value + "'", domain);
                    }
                }
                case GeneralName.iPAddress -> throw new CaProtocolException(CaErrorCode.VALIDATION, "Profile '"
                        + profile.name() + "' is restricted to domain '" + domain + "': IP address SANs are not allowed");
                default -> throw new CaProtocolException(CaErrorCode.VALIDATION, "Profile '" + profile.name()
                        + "' is restricted to domain '" + domain + "': only DNS, EMAIL and URI SANs are allowed");
            }
        }
    }

    private static String normalise(String domain) {
        if (domain == null) {
            return "";
        }
        String d = domain.strip().toLowerCase(Locale.ROOT);
        while (d.startsWith(".")) {
            d = d.substring(1);
        }
        return d;
    }

    /** The name itself or one of its subdomains; a wildcard label stands for one subdomain label. */
    static boolean within(String name, String domain) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(domain) || n.endsWith("." + domain);
    }

    private static String host(String uri) {
        try {
            return new URI(uri).getHost();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static CaProtocolException outside(Profile profile, String what, String domain) {
        return new CaProtocolException(CaErrorCode.VALIDATION, "Profile '" + profile.name() + "' is restricted to domain '"
                + domain + "': " + what + " is outside it");
    }
}
