package io.upki.pki.x509;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Revocation reasons: uPKI's wire names and the reasonCode values of RFC 5280 section 5.3.1. */
class RevocationReasonTest {

    @ParameterizedTest
    @CsvSource({"keyCompromise,KEY_COMPROMISE", "KEYCOMPROMISE,KEY_COMPROMISE", "keycompromise,KEY_COMPROMISE",
        "cacompromise,CA_COMPROMISE", "Unspecified,UNSPECIFIED", "REMOVEFROMCRL,REMOVE_FROM_CRL",
        "aACompromise,AA_COMPROMISE", "CertificateHold,CERTIFICATE_HOLD"})
    void wireNamesMatchCaseInsensitively(String name, RevocationReason expected) {
        assertThat(RevocationReason.fromWireName(name)).contains(expected);
    }

    @Test
    void unknownNamesAreEmpty() {
        assertThat(RevocationReason.fromWireName("bogus")).isEmpty();
        assertThat(RevocationReason.fromWireName("key_compromise")).isEmpty();
        assertThat(RevocationReason.fromWireName("")).isEmpty();
        assertThat(RevocationReason.fromWireName(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"unspecified,0", "keyCompromise,1", "cACompromise,2", "affiliationChanged,3", "superseded,4",
        "cessationOfOperation,5", "certificateHold,6", "removeFromCRL,8", "privilegeWithdrawn,9", "aACompromise,10"})
    void codesFollowRfc5280(String name, int code) {
        RevocationReason reason = RevocationReason.fromWireName(name).orElseThrow();

        assertThat(reason.code()).isEqualTo(code);
        assertThat(reason.wireName()).isEqualTo(name);
        assertThat(RevocationReason.fromCode(code)).contains(reason);
    }

    @Test
    void codeSevenIsUnused() {
        assertThat(RevocationReason.fromCode(7)).isEmpty();
        assertThat(RevocationReason.fromCode(11)).isEmpty();
    }

    @Test
    void wireNamesAreInUpkisOrder() {
        assertThat(RevocationReason.wireNames()).containsExactly("unspecified", "keyCompromise", "cACompromise",
                "affiliationChanged", "superseded", "cessationOfOperation", "certificateHold", "removeFromCRL",
                "privilegeWithdrawn", "aACompromise");
    }
}
