package io.upki.ca.crl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

/** The directly encoded CRL times equal what BouncyCastle's own Time(Date) produces (RFC 5280 4.1.2.5). */
class CrlEncoderTest {
    @Test
    void lengthsAreEncodedAsDerAsksAtEveryBoundary() throws Exception {
        // X.690 section 10.1: definite length, shortest form; compare with BouncyCastle's own DER.
        for (int n : new int[] {0, 1, 127, 128, 255, 256, 65_535, 65_536, 16_777_215, 16_777_216}) {
            byte[] reference = new org.bouncycastle.asn1.DEROctetString(new byte[n]).getEncoded();
            byte[] header = CrlEncoder.header(0x04, n);
            assertThat(header).as("length %d", n).isEqualTo(java.util.Arrays.copyOf(reference, header.length));
            assertThat(reference.length).isEqualTo(header.length + n);
        }
    }

    @Test
    void timesMatchBouncyCastleOnBothSidesOf2050() throws Exception {
        for (String t : new String[] {"2026-11-27T13:41:40Z", "1999-12-31T23:59:59Z", "2049-12-31T23:59:59Z",
            "2050-01-01T00:00:00Z", "2137-06-01T08:09:10Z"}) {
            Instant instant = Instant.parse(t);
            Time fast = CrlEncoder.time(instant.getEpochSecond());
            Time reference = new Time(Date.from(instant));
            assertThat(fast.getEncoded()).as(t).isEqualTo(reference.getEncoded());
            assertThat(fast.getDate().toInstant()).isEqualTo(instant);
        }
    }
}
