package io.upki.cli.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** How serials and names given on the command line are read, and how a name goes into an RA path. */
class CliCertificateRefTest {
    @Test
    void serialsInTheFormsPeopleCopyFromToolOutput() {
        BigInteger expected = new BigInteger("3a0f", 16);
        assertThat(CertificateRef.parseSerial("14863").serial()).isEqualTo(expected);
        assertThat(CertificateRef.parseSerial("0x3A0F").serial()).isEqualTo(expected);
        assertThat(CertificateRef.parseSerial("3a:0f").serial()).isEqualTo(expected);
        assertThat(CertificateRef.parseSerial(" 0x3a0f ").serial()).isEqualTo(expected);
    }

    @Test
    void malformedOrOutOfRangeSerialsAreUsageErrors() {
        for (String bad : new String[] {"", "xyz", "-1", "0", "0x", "0x" + "f".repeat(41), "12ab", "3a:0"}) {
            assertThatThrownBy(() -> CertificateRef.parseSerial(bad)).as(bad).isInstanceOf(CliException.class)
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        }
    }

    @Test
    void namesInRaPathsNeverContainSlashes() {
        assertThat(CertificateRef.pathForm(new CertificateRef.Name("admin.example.internal"))).isEqualTo("admin.example.internal");
        assertThat(CertificateRef.pathForm(new CertificateRef.Name("/CN=admin.example.internal"))).isEqualTo("admin.example.internal");
        assertThat(CertificateRef.pathForm(new CertificateRef.Name("/C=FR/O=Company/OU=Admins/CN=a")))
                .isEqualTo("CN=a,OU=Admins,O=Company,C=FR");
        assertThatThrownBy(() -> CertificateRef.parseDn("no equals sign")).isInstanceOf(CliException.class);
    }
}
