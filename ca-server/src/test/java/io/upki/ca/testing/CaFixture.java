package io.upki.ca.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaTask;
import io.upki.testkit.TempFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestCa} (EC, CRLs valid 7 days) for a whole test class, as a JUnit 5 extension: register it
 * with {@code @RegisterExtension static final CaFixture ca = CaFixture.ec()}, add profiles before it starts.
 */
public final class CaFixture implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> profiles = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private boolean portBlock;
    private boolean curve;
    private Path dir;
    private TestCa ca;

    private CaFixture() {
    }

    /** An EC CA with its default profiles, on the system clock. */
    public static CaFixture ec() {
        return new CaFixture();
    }

    /** Writes {@code yaml} as {@code profiles/<name>.yml} after initialisation, before the CA opens. */
    public CaFixture profile(String name, String yaml) {
        profiles.put(name, yaml);
        return this;
    }

    /**
     * Adds the {@code edge} profile: an EC P-256 server and client certificate of 10 days with names, which
     * keeps CA-side key generation fast.
     */
    public CaFixture edgeProfile() {
        return profile("edge", """
                keyType: ec
                keyLen: 256
                duration: 10
                digest: sha256
                altnames: true
                subject: {C: FR, O: Company, OU: Edge}
                keyUsage: [digitalSignature]
                extendedKeyUsage: [serverAuth, clientAuth]
                certType: server
                """);
    }

    /** The CA's clock (a {@code MutableClock} for tests that move time). */
    public CaFixture clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Serves on a block of three free ports (operations, registration, events) known before it starts: {@link #port()}. */
    public CaFixture onPortBlock() {
        this.portBlock = true;
        return this;
    }

    /** {@code --client-auth curve} with an enrolled operator (see {@link TestCa#openCurve}); implies a port block. */
    public CaFixture curve() {
        this.curve = true;
        this.portBlock = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = TempFolder.create("upki-ca-");
        TestCa.initialize(dir, "ec");
        for (Map.Entry<String, String> profile : profiles.entrySet()) {
            Files.writeString(dir.resolve("profiles/" + profile.getKey() + ".yml"), profile.getValue());
        }
        int port = portBlock ? TestCa.freePortBlock() : 0;
        ca = curve ? TestCa.openCurve(dir, port) : TestCa.open(dir, Duration.ofDays(7), null, clock, port);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (ca != null) {
            ca.close();
        }
        TempFolder.delete(dir, "CaFixture");
    }

    /** The running CA. */
    public TestCa ca() {
        return ca;
    }

    /** The CA's data folder. */
    public Path dir() {
        return dir;
    }

    /** The operations port (registration is + 1, events + 2). */
    public int port() {
        return ca.server().port();
    }

    public JsonNode call(CaTask task, ObjectNode params) {
        return ca.call(task, params);
    }

    /** See {@link TestCa#rejected}. */
    public String rejected(CaTask task, ObjectNode params) {
        return ca.rejected(task, params);
    }

    public CaClient client() {
        return ca.client();
    }

    public String opsEndpoint() {
        return ca.opsEndpoint();
    }

    public String registrationEndpoint() {
        return ca.registrationEndpoint();
    }

    /** See {@link TestCa#sendRaw(String, byte[], Duration)}. */
    public String sendRaw(String endpoint, byte[] frame, Duration timeout) {
        return ca.sendRaw(endpoint, frame, timeout);
    }

    public String sendRaw(byte[] frame) {
        return ca.sendRaw(frame);
    }
}
