package io.upki.pki.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit file: created 0600, appended to, one whole JSON object per line even under concurrent writers. */
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void anEventIsOneJsonLineWithWhoWhatWhichAndResult() throws Exception {
        Path file = tmp.resolve("logs/audit.jsonl");
        try (AuditTrail trail = AuditTrail.open(file, "ca-server", CLOCK)) {
            trail.record("zmq:00AB", "revoke", "ok", "serial", AuditTrail.serial(BigInteger.valueOf(255)),
                    "subject", "CN=a \"quoted\"\nname", "entries", 3, "number", BigInteger.TEN, "absent", null,
                    "who", "an impostor");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        JsonNode event = JSON.readTree(lines.get(0));
        assertThat(event.path("time").asText()).isEqualTo("2026-12-07T09:00:00Z");
        assertThat(event.path("source").asText()).isEqualTo("ca-server");
        assertThat(event.path("who").asText()).isEqualTo("zmq:00AB"); // an event's fields never replace who
        assertThat(event.path("action").asText()).isEqualTo("revoke");
        assertThat(event.path("result").asText()).isEqualTo("ok");
        assertThat(event.path("serial").asText()).isEqualTo("ff");
        assertThat(event.path("subject").asText()).isEqualTo("CN=a \"quoted\"\nname");
        assertThat(event.path("entries").asInt()).isEqualTo(3);
        assertThat(event.path("number").isNumber()).isTrue();
        assertThat(event.has("absent")).isFalse();
    }

    @Test
    void reopeningAppendsAndKeepsAnExistingFilesMode() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        Files.writeString(file, "{\"earlier\":true}\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        try (AuditTrail trail = AuditTrail.open(file, "ra-core", CLOCK)) {
            trail.record("acme-account:abc", "acme-revoke", "ok");
        }
        try (AuditTrail trail = AuditTrail.open(file, "ra-core", CLOCK)) {
            trail.record("CN=admin", "add_admin", "ok", "dn", "CN=b");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("{\"earlier\":true}");
        assertThat(JSON.readTree(lines.get(2)).path("dn").asText()).isEqualTo("CN=b");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void concurrentWritersAndTwoProcessesSharingTheFileNeverInterleaveLines() throws Exception {
        Path file = tmp.resolve("shared.jsonl");
        try (AuditTrail ca = AuditTrail.open(file, "ca-server", CLOCK);
             AuditTrail ra = AuditTrail.open(file, "ra-core", CLOCK)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                AuditTrail trail = t % 2 == 0 ? ca : ra;
                int id = t;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 200; i++) {
                        trail.record("writer-" + id, "sign", "ok", "n", id * 1000 + i, "padding", "x".repeat(500));
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1600);
        Set<Integer> seen = new HashSet<>();
        for (String line : lines) {
            seen.add(JSON.readTree(line).path("n").asInt());
        }
        assertThat(seen).hasSize(1600);
    }

    @Test
    void aLogOnlyTrailWritesNoFile() {
        AuditTrail trail = AuditTrail.logOnly("ca-server", CLOCK);
        trail.record("ca-server", "recover", "ok", "certificates", 2);
        assertThat(trail.path()).isNull();
        assertThat(tmp).isEmptyDirectory();
    }
}
