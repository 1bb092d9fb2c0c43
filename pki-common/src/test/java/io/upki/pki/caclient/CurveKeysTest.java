package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CURVE key pair files: made 0600, read back, refused when others can read them; CA keys as text or file. */
class CurveKeysTest {
    @TempDir
    Path dir;

    @Test
    void aKeyPairFileIsMadePrivateOnceAndReadBack() throws Exception {
        Path file = dir.resolve("sub/client.key");
        CurveKeys made = CurveKeys.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(CurveKeys.loadOrCreate(file)).isEqualTo(made);
        assertThat(made.toString()).contains(made.publicKey()).doesNotContain(made.secretKey());
        assertThat(made.publicBytes()).hasSize(32);
        assertThat(CaCurve.open(made.publicKey(), file).newKey()).isFalse();
        assertThat(CaCurve.open(made.publicKey(), dir.resolve("fresh.key")).newKey()).isTrue();
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        Path file = dir.resolve("client.key");
        CurveKeys.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> CurveKeys.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("readable by others").hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> CaCurve.open(CurveKeys.generate().publicKey(), file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readable by others");
    }

    @Test
    void theCaKeyIsTextOrAFileAndMalformedKeysAreRefused() throws Exception {
        CurveKeys ca = CurveKeys.generate();
        assertThat(CurveKeys.serverKey(ca.publicKey())).isEqualTo(ca.publicKey());
        Path pub = Files.writeString(dir.resolve("curve.pub"), ca.publicKey() + "\n");
        assertThat(CurveKeys.serverKey(pub.toString())).isEqualTo(ca.publicKey());
        Path pair = dir.resolve("pair.key");
        CurveKeys.loadOrCreate(pair);
        assertThat(CurveKeys.serverKey(pair.toString())).isEqualTo(CurveKeys.load(pair).publicKey());
        assertThatThrownBy(() -> CurveKeys.serverKey("short")).hasMessageContaining("neither 40 Z85 characters");
        assertThatThrownBy(() -> CurveKeys.serverKey("~".repeat(40))).hasMessageContaining("Z85");
        assertThatThrownBy(() -> new ZmqCaClient("tcp://127.0.0.1:1", t -> null, 0, new io.upki.pki.wire.WireCodec(),
                null, ca.publicKey())).hasMessageContaining("needs a client key pair");
        assertThat(CaCurve.open(null, null).enabled()).isFalse();
        assertThat(CaCurve.open(" ", null)).isSameAs(CaCurve.NONE);
    }
}
