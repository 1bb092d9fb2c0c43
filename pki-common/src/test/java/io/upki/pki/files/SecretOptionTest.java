package io.upki.pki.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --seed or --seed-file: the value, the file's content, nothing, or a refusal with the reason. */
class SecretOptionTest {
    @TempDir
    Path dir;

    @Test
    void theFileIsReadWithoutItsTrailingNewline() throws Exception {
        Path f = Files.writeString(dir.resolve("seed"), "s3cr3t\n");
        assertThat(SecretOption.resolve(null, f, "--seed", "--seed-file")).isEqualTo("s3cr3t");
        assertThat(SecretOption.resolve("", f, "--seed", "--seed-file")).isEqualTo("s3cr3t");
    }

    @Test
    void theValueAloneOrNothing() {
        assertThat(SecretOption.resolve("v", null, "--seed", "--seed-file")).isEqualTo("v");
        assertThat(SecretOption.resolve(null, null, "--seed", "--seed-file")).isNull();
    }

    @Test
    void bothAreRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("seed"), "s");
        assertThatThrownBy(() -> SecretOption.resolve("v", f, "--seed", "--seed-file"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("give --seed or --seed-file, not both");
    }

    @Test
    void anEmptyOrMissingFileIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThatThrownBy(() -> SecretOption.resolve(null, empty, "--seed", "--seed-file")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> SecretOption.resolve(null, dir.resolve("absent"), "--seed", "--seed-file"))
                .hasMessageContaining("cannot be read");
    }
}
