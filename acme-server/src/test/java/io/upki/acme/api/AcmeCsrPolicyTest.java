package io.upki.acme.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.testkit.pki.TestKeys;
import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/** The finalize CSR rules, one refusal at a time (RFC 8555 sections 7.4 and 11.1). */
class AcmeCsrPolicyTest {
    static final List<Identifier> ORDER = List.of(new Identifier("dns", "a.example.internal"), new Identifier("ip", "10.1.2.3"));

    static String csr(KeyPair keys, String subject, GeneralName... names) throws Exception {
        var b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
        if (names.length > 0) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.build(new JcaContentSignerBuilder(
                TestKeys.signatureAlgorithm(keys)).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .build(keys.getPrivate())).getEncoded());
    }

    static GeneralName dns(String n) {
        return new GeneralName(GeneralName.dNSName, n);
    }

    static GeneralName ip(String n) {
        return new GeneralName(GeneralName.iPAddress, n);
    }

    static AcmeError refusal(String csr) {
        try {
            CsrPolicy.check(csr, ORDER, null);
            return null;
        } catch (AcmeProblem p) {
            return p.type();
        }
    }

    @Test
    void exactlyTheOrderedNamesPass() throws Exception {
        CsrPolicy.Accepted ok = CsrPolicy.check(csr(TestKeys.ec256(), "", dns("A.example.internal"), ip("10.1.2.3")), ORDER, null);
        assertThat(ok.fallbackCn()).isEqualTo("a.example.internal");
        assertThat(ok.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(CsrPolicy.check(csr(TestKeys.ec256(), "CN=10.1.2.3", dns("a.example.internal"), ip("10.1.2.3")), ORDER, null)
                .fallbackCn()).isNull();
    }

    @Test
    void extraMissingAndForeignNamesAreBadCsr() throws Exception {
        KeyPair k = TestKeys.ec256();
        assertThat(refusal(csr(k, "", dns("a.example.internal")))).isEqualTo(AcmeError.BAD_CSR);
        assertThat(refusal(csr(k, "", dns("a.example.internal"), ip("10.1.2.3"), dns("b.example.internal")))).isEqualTo(AcmeError.BAD_CSR);
        assertThat(refusal(csr(k, "CN=b.example.internal", dns("a.example.internal"), ip("10.1.2.3")))).isEqualTo(AcmeError.BAD_CSR);
        assertThat(refusal(csr(k, "CN=a.example.internal,O=Company", dns("a.example.internal"), ip("10.1.2.3"))))
                .isEqualTo(AcmeError.BAD_CSR);
        assertThat(refusal(csr(k, "", dns("a.example.internal"), ip("10.1.2.3"),
                new GeneralName(GeneralName.rfc822Name, "a@b.example")))).isEqualTo(AcmeError.BAD_CSR);
        // the CN alone does not count: every name must be a SAN
        assertThat(refusal(csr(k, "CN=a.example.internal", ip("10.1.2.3")))).isEqualTo(AcmeError.BAD_CSR);
    }

    @Test
    void weakKeysGarbageAndTheAccountKeyAreBadCsr() throws Exception {
        assertThat(refusal(csr(TestKeys.rsa(1024), "", dns("a.example.internal"), ip("10.1.2.3")))).isEqualTo(AcmeError.BAD_CSR);
        assertThat(refusal("not-a-csr")).isEqualTo(AcmeError.BAD_CSR);
        String good = csr(TestKeys.ec256(), "", dns("a.example.internal"), ip("10.1.2.3"));
        byte[] der = Base64.getUrlDecoder().decode(good);
        der[der.length - 5] ^= 1;
        assertThat(refusal(Base64.getUrlEncoder().withoutPadding().encodeToString(der))).isEqualTo(AcmeError.BAD_CSR);
        KeyPair account = TestKeys.ec256();
        assertThatThrownBy(() -> CsrPolicy.check(csr(account, "", dns("a.example.internal"), ip("10.1.2.3")), ORDER,
                account.getPublic())).hasMessageContaining("account key");
    }

    @Test
    void onlyRsa65537NistCurvesAndEd25519AreAccepted() throws Exception {
        GeneralName[] names = {dns("a.example.internal"), ip("10.1.2.3")};
        for (KeyPair refused : List.of(TestKeys.ec("secp256k1"), TestKeys.ec("brainpoolP256r1"),
                TestKeys.rsa(2048, java.math.BigInteger.valueOf(3)), TestKeys.rsa(1024))) {
            assertThatThrownBy(() -> CsrPolicy.check(csr(refused, "", names), ORDER, null))
                    .isInstanceOf(AcmeProblem.class).hasMessageMatching(".*(curve|exponent|Key length).*")
                    .extracting(p -> ((AcmeProblem) p).type()).isEqualTo(AcmeError.BAD_CSR);
        }
        for (KeyPair accepted : List.of(TestKeys.rsa(2048), TestKeys.ec("secp384r1"), TestKeys.ec("secp521r1"),
                TestKeys.ed25519())) {
            assertThat(CsrPolicy.check(csr(accepted, "", names), ORDER, null).pem()).startsWith("-----BEGIN CERTIFICATE REQUEST");
        }
    }
}
