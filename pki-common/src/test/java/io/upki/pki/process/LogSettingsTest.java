package io.upki.pki.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log settings every process checks before its first line: a typo must not silence the logs. */
class LogSettingsTest {
    @Test
    void textJsonAndTheLevelsAreAccepted() {
        assertThat(ProcessRunner.logSettingsError(Map.of())).isNull();
        assertThat(ProcessRunner.logSettingsError(Map.of("UPKI_LOG_FORMAT", "json", "UPKI_LOG_LEVEL", "DEBUG"))).isNull();
        assertThat(ProcessRunner.logSettingsError(Map.of("UPKI_LOG_FORMAT", "text", "UPKI_LOG_LEVEL", "off"))).isNull();
    }

    @Test
    void anUnknownFormatOrLevelIsRefusedWithTheReason() {
        assertThat(ProcessRunner.logSettingsError(Map.of("UPKI_LOG_FORMAT", "xml")))
                .isEqualTo("UPKI_LOG_FORMAT must be text or json, not 'xml'");
        assertThat(ProcessRunner.logSettingsError(Map.of("UPKI_LOG_FORMAT", "JSON"))).contains("text or json");
        assertThat(ProcessRunner.logSettingsError(Map.of("UPKI_LOG_FORMAT", ""))).contains("text or json");
        assertThat(ProcessRunner.logSettingsError(Map.of("UPKI_LOG_LEVEL", "verbose"))).contains("UPKI_LOG_LEVEL");
    }
}
