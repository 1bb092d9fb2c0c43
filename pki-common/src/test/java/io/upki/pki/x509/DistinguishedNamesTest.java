package io.upki.pki.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** uPKI's slash form, RFC 4514 strings and RFC 5280 section 7.1 name matching. */
class DistinguishedNamesTest {
    private static final String SLASH = "/C=FR/O=Company/OU=Admins/CN=admin.example.internal";
    private static final String RFC4514 = "CN=admin.example.internal,OU=Admins,O=Company,C=FR";

    @Test
    void slashAndRfc4514FormsNameTheSameEntity() {
        X500Name slash = DistinguishedNames.parse(SLASH);
        X500Name rfc = DistinguishedNames.parse(RFC4514);

        assertThat(DistinguishedNames.canonicalKey(slash)).isEqualTo(DistinguishedNames.canonicalKey(rfc));
        // Both in X.500 order: most significant (C) first.
        assertThat(slash.getRDNs()[0].getFirst().getType()).isEqualTo(BCStyle.C);
        assertThat(rfc.getRDNs()[0].getFirst().getType()).isEqualTo(BCStyle.C);
        assertThat(rfc.getRDNs()[3].getFirst().getType()).isEqualTo(BCStyle.CN);
    }

    @Test
    void differentNamesHaveDifferentKeys() {
        assertThat(DistinguishedNames.canonicalKey(DistinguishedNames.parse(SLASH)))
                .isNotEqualTo(DistinguishedNames.canonicalKey(
                        DistinguishedNames.parse("/C=FR/O=Company/OU=Servers/CN=admin.example.internal")));
        // Same attributes in another order are another name (RFC 5280 compares RDN sequences in order).
        assertThat(DistinguishedNames.canonicalKey(DistinguishedNames.parse("/O=Company/C=FR/CN=x")))
                .isNotEqualTo(DistinguishedNames.canonicalKey(DistinguishedNames.parse("/C=FR/O=Company/CN=x")));
    }

    @Test
    void slashFormRoundTrips() {
        X500Name name = DistinguishedNames.parse(SLASH);

        assertThat(DistinguishedNames.toSlash(name)).isEqualTo(SLASH);
        assertThat(DistinguishedNames.toRfc4514(name)).isEqualTo(RFC4514);
    }

    @Test
    void rfc4514FormRoundTrips() {
        X500Name name = DistinguishedNames.parse(RFC4514);

        assertThat(DistinguishedNames.toRfc4514(name)).isEqualTo(RFC4514);
        assertThat(DistinguishedNames.toSlash(name)).isEqualTo(SLASH);
    }

    @Test
    void slashValueMayContainSlashWhenNotFollowedByAnAttribute() {
        X500Name name = DistinguishedNames.parse("/C=FR/O=Company/CN=a/b");

        assertThat(DistinguishedNames.commonName(name)).isEqualTo("a/b");
        assertThat(name.getRDNs()).hasSize(3);
        assertThat(DistinguishedNames.toSlash(name)).isEqualTo("/C=FR/O=Company/CN=a/b");
        assertThat(DistinguishedNames.toRfc4514(name)).isEqualTo("CN=a/b,O=Company,C=FR");
    }

    @Test
    void slashValueMayContainSlashInTheMiddle() {
        X500Name name = DistinguishedNames.parse("/O=R/D dept/CN=x");

        assertThat(DistinguishedNames.valueText(name.getRDNs(BCStyle.O)[0].getFirst().getValue()))
                .isEqualTo("R/D dept");
        assertThat(DistinguishedNames.commonName(name)).isEqualTo("x");
    }

    @Test
    void slashValueMayContainCommaAndEquals() {
        X500Name name = DistinguishedNames.parse("/O=Company, Inc./CN=a=b");

        assertThat(DistinguishedNames.valueText(name.getRDNs(BCStyle.O)[0].getFirst().getValue()))
                .isEqualTo("Company, Inc.");
        assertThat(DistinguishedNames.commonName(name)).isEqualTo("a=b");
        assertThat(DistinguishedNames.toRfc4514(name)).isEqualTo("CN=a\\=b,O=Company\\, Inc.");
    }

    @Test
    void rfc4514EscapedCommaStaysInTheValue() {
        X500Name name = DistinguishedNames.parse("CN=a\\,b,O=x");

        assertThat(name.getRDNs()).hasSize(2);
        assertThat(DistinguishedNames.commonName(name)).isEqualTo("a,b");
        assertThat(DistinguishedNames.toSlash(name)).isEqualTo("/O=x/CN=a,b");
        assertThat(DistinguishedNames.toRfc4514(name)).isEqualTo("CN=a\\,b,O=x");
        assertThat(DistinguishedNames.canonicalKey(DistinguishedNames.parse(DistinguishedNames.toSlash(name))))
                .isEqualTo(DistinguishedNames.canonicalKey(name));
    }

    @Test
    void commonNameIsTheMostSpecificCn() {
        assertThat(DistinguishedNames.commonName(DistinguishedNames.parse(SLASH))).isEqualTo("admin.example.internal");
        assertThat(DistinguishedNames.commonName(DistinguishedNames.parse("/CN=outer/CN=inner"))).isEqualTo("inner");
        assertThat(DistinguishedNames.commonName(DistinguishedNames.parse("/C=FR/O=Company"))).isNull();
    }

    @Test
    void commonNameOnlyIsUpkisShortForm() {
        assertThat(DistinguishedNames.isCommonNameOnly(DistinguishedNames.parse("/CN=x"))).isTrue();
        assertThat(DistinguishedNames.isCommonNameOnly(DistinguishedNames.parse("CN=x"))).isTrue();
        assertThat(DistinguishedNames.isCommonNameOnly(DistinguishedNames.parse(SLASH))).isFalse();
        assertThat(DistinguishedNames.isCommonNameOnly(DistinguishedNames.parse("/O=x"))).isFalse();
        assertThat(DistinguishedNames.isCommonNameOnly(DistinguishedNames.parse("CN=x+O=y"))).isFalse();
    }

    @Test
    void canonicalKeyIgnoresCaseAndInternalSpacesPerRfc5280Section71() {
        String a = DistinguishedNames.canonicalKey(DistinguishedNames.parse("CN=Admin  One"));
        String b = DistinguishedNames.canonicalKey(DistinguishedNames.parse("cn=admin one"));
        String c = DistinguishedNames.canonicalKey(DistinguishedNames.parse("/CN= ADMIN ONE "));

        assertThat(a).isEqualTo(b).isEqualTo(c);
        assertThat(a).isNotEqualTo(DistinguishedNames.canonicalKey(DistinguishedNames.parse("CN=AdminOne")));
    }

    @Test
    void emailAddressUsesUpkisAttributeName() {
        X500Name name = DistinguishedNames.parse("/CN=x/emailAddress=x@example.com");

        assertThat(name.getRDNs(BCStyle.EmailAddress)).hasSize(1);
        assertThat(DistinguishedNames.toSlash(name)).isEqualTo("/CN=x/emailAddress=x@example.com");
    }

    @Test
    void realCertificateSubjectSurvivesBothForms() {
        X509Certificate client = Pem.parseCertificate(Vectors.read("pki/client.crt"));
        X500Name subject = CertificateFacts.subject(client);
        String key = DistinguishedNames.canonicalKey(subject);

        String slash = DistinguishedNames.toSlash(subject);
        String rfc = DistinguishedNames.toRfc4514(subject);

        assertThat(slash).startsWith("/DC=org/DC=example/C=DE/").endsWith("/CN=operator-01")
                .contains("/OU=Operators/OU=RA Clients/");
        assertThat(rfc).startsWith("CN=operator-01,").endsWith(",DC=example,DC=org");
        assertThat(DistinguishedNames.canonicalKey(DistinguishedNames.parse(slash))).isEqualTo(key);
        assertThat(DistinguishedNames.canonicalKey(DistinguishedNames.parse(rfc))).isEqualTo(key);
        assertThat(DistinguishedNames.commonName(subject)).isEqualTo("operator-01");
    }

    @Test
    void multiValuedRdnIsKeptTogether() {
        X500Name name = DistinguishedNames.parse("CN=x+OU=y,O=z");
        RDN first = name.getRDNs()[0];

        assertThat(name.getRDNs()).hasSize(2);
        assertThat(first.getFirst().getType()).isEqualTo(BCStyle.O);
        assertThat(name.getRDNs()[1].isMultiValued()).isTrue();
        assertThat(DistinguishedNames.canonicalKey(name)).contains("+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "/", "//", "/XX=1", "/CN", "/=x", "/ =x", "XX=1", "garbage", "CN=x,,O=y"})
    void invalidNamesAreRejected(String text) {
        assertThatThrownBy(() -> DistinguishedNames.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> DistinguishedNames.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
