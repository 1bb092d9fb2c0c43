package io.upki.ca.robustness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.wire.CaTask;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws thousands of random, malformed and mutated frames at a running CA (CA-PROTOCOL.md section 1:
 * "A reply always comes") and checks that each one is answered in bounded time with a well-formed
 * envelope whose error never leaks Java internals, and that the CA is unharmed afterwards.
 *
 * <p>Reproduce a failure with {@code -Dupki.fuzz.seed=<seed printed by the run>}; change the number of
 * frames with {@code -Dupki.fuzz.frames=N}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzTest {
    private static final long SEED = Long.getLong("upki.fuzz.seed", 0x5EED_CAFEL);
    private static final int FRAMES = Integer.getInteger("upki.fuzz.frames", 3000);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);
    private static final int LIMIT = 1024 * 1024;

    /** Markers of leaked internals: exception names, stack frames, Java/library package names. */
    private static final List<String> LEAK_MARKERS = List.of("Exception", "at io.upki", "\tat ", "Caused by",
            "java.", "javax.", "jdk.", "sun.", "com.fasterxml", "org.bouncycastle", "org.zeromq", "org.sqlite",
            "io.upki.");
    /** A library identifier quoted in code style, as Jackson writes them: {@code `JsonReadFeature.X`}. */
    private static final Pattern CODE_REFERENCE = Pattern.compile("`[\\w$]+(\\.[\\w$()]+)+`");
    private static final Pattern CODED = Pattern.compile("\\[(100|200|300|400|500|600|700|800|900)] \\S.*",
            Pattern.DOTALL);

    /** A strict reader for replies: one JSON value, no duplicate keys, nothing after it. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @TempDir
    static Path tmp;

    private TestCa ca;
    private RawClient raw;
    private String caPem;
    private String csrPem;
    private String certPem;
    private final List<String> commonNames = new ArrayList<>();
    private final List<BigInteger> serials = new ArrayList<>();

    @BeforeAll
    void startCa() throws Exception {
        ca = TestCa.start(tmp);
        raw = new RawClient();
        caPem = ca.call(CaTask.GET_CA, null).asText();
        csrPem = TestKeys.csr("CN=fuzz-csr.example.com");
        for (int i = 0; i < 4; i++) {
            String cn = "fuzz-" + i + ".example.com";
            JsonNode signed = ca.call(CaTask.SIGN, JsonNodeFactory.instance.objectNode()
                    .put("csr", TestKeys.csr("CN=" + cn)).put("profile", i % 2 == 0 ? "server" : "user"));
            commonNames.add(cn);
            serials.add(signed.path("serial").bigIntegerValue());
            certPem = signed.path("certificate").asText();
        }
    }

    @AfterAll
    void stopCa() {
        if (raw != null) {
            raw.close();
        }
        if (ca != null) {
            ca.close();
        }
    }

    // ---------------------------------------------------------------- the fuzz run

    /** One frame to send: its generator, how it was made, where it goes, and the bytes. */
    private record Frame(String family, String detail, boolean registration, byte[] bytes) {
        String kind() {
            return detail.isEmpty() ? family : family + ":" + detail;
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyRandomOrMutatedFrameGetsAWellFormedReply() {
        System.out.printf("[fuzz] seed=%d frames=%d (reproduce with -Dupki.fuzz.seed=%d)%n", SEED, FRAMES, SEED);
        Random random = new Random(SEED);
        Generators gen = new Generators(random);
        List<String> violations = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        long slowest = 0;
        String slowestKind = "";
        long started = System.nanoTime();
        for (int i = 0; i < FRAMES; i++) {
            Frame frame = gen.next();
            kinds.merge(frame.family(), 1, Integer::sum);
            String endpoint = frame.registration() ? ca.registrationEndpoint() : ca.opsEndpoint();
            long t0 = System.nanoTime();
            List<byte[]> reply = raw.exchange(endpoint, List.of(frame.bytes()), REPLY_TIMEOUT);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (millis > 2000) {
                System.out.printf("[fuzz] slow reply: #%d %s took %d ms (%d bytes)%n", i, frame.kind(), millis,
                        frame.bytes().length);
            }
            if (millis > slowest) {
                slowest = millis;
                slowestKind = frame.kind();
            }
            String problem = reply == null ? "no reply within " + REPLY_TIMEOUT.toSeconds() + " s" : check(reply);
            if (problem != null) {
                violations.add("#" + i + " " + frame.kind() + " -> " + problem + "\n      sent: " + show(frame.bytes())
                        + (reply == null ? "" : "\n      got:  " + show(reply.get(0))));
            } else {
                outcomes.merge(outcome(reply.get(0)), 1, Integer::sum);
            }
        }
        long total = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("[fuzz] %d frames in %d ms (slowest reply %d ms, %s)%n", FRAMES, total, slowest, slowestKind);
        System.out.println("[fuzz] frames by kind: " + kinds);
        System.out.println("[fuzz] replies by outcome: " + outcomes);

        assertThat(violations).as("frames without a well-formed reply (seed %d); first ones:%n%s", SEED,
                String.join("\n", violations.subList(0, Math.min(40, violations.size())))).isEmpty();
        assertCaUnharmed();
    }

    /** Returns null when the reply is one frame of valid JSON with a proper envelope, else what is wrong. */
    private static String check(List<byte[]> reply) {
        if (reply.size() != 1) {
            return "reply of " + reply.size() + " frames";
        }
        JsonNode root;
        try {
            root = STRICT.readTree(UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(reply.get(0))).toString());
        } catch (CharacterCodingException e) {
            return "reply is not valid UTF-8";
        } catch (Exception e) {
            return "reply is not valid JSON";
        }
        if (root == null || !root.isObject()) {
            return "reply is not a JSON object";
        }
        String event = root.path("EVENT").asText(null);
        if ("ANSWER".equals(event)) {
            return root.has("DATA") ? null : "ANSWER without DATA";
        }
        if (!"UPKI ERROR".equals(event)) {
            return "EVENT is " + root.get("EVENT");
        }
        JsonNode msg = root.get("MSG");
        if (msg == null || !msg.isTextual()) {
            return "UPKI ERROR without a MSG string";
        }
        return checkMessage(msg.asText());
    }

    private static String checkMessage(String msg) {
        if (!msg.startsWith("Invalid JSON: ") && !CODED.matcher(msg).matches()) {
            return "MSG is neither 'Invalid JSON: ...' nor '[code] ...'";
        }
        for (String marker : LEAK_MARKERS) {
            if (msg.contains(marker)) {
                return "MSG leaks internals ('" + marker + "')";
            }
        }
        java.util.regex.Matcher code = CODE_REFERENCE.matcher(msg);
        if (code.find()) {
            return "MSG leaks a Java identifier (" + code.group() + ")";
        }
        if (msg.contains("Internal CA error") || msg.contains("Storage error")) {
            return "client input caused an internal error";
        }
        return null;
    }

    /** A short label of what the CA answered, for the summary. */
    private static String outcome(byte[] reply) {
        try {
            JsonNode root = STRICT.readTree(new String(reply, UTF_8));
            if ("ANSWER".equals(root.path("EVENT").asText())) {
                return "ANSWER";
            }
            String msg = root.path("MSG").asText();
            if (msg.startsWith("Invalid JSON")) {
                return "Invalid JSON";
            }
            int cut = msg.indexOf(':');
            String label = cut > 0 ? msg.substring(0, cut) : msg;
            return label.substring(0, Math.min(40, label.length())).replaceAll("[^\\x20-\\x7e]", "?");
        } catch (Exception e) {
            return "?";
        }
    }

    private void assertCaUnharmed() {
        assertThat(ca.call(CaTask.GET_CA, null).asText()).as("get_ca after the fuzz run").isEqualTo(caPem);
        JsonNode raw = sendOps("{\"TASK\":\"get_ca\",\"params\":{}}".getBytes(UTF_8));
        assertThat(raw.path("EVENT").asText()).isEqualTo("ANSWER");
        assertThat(raw.path("DATA").asText()).isEqualTo(caPem);
        JsonNode status = send(ca.registrationEndpoint(), List.of("{\"TASK\":\"status\"}".getBytes(UTF_8)));
        assertThat(status.path("DATA").path("status").asText()).as("registration port after the fuzz run")
                .isEqualTo("not_registered");
    }

    // ---------------------------------------------------------------- frame generators

    /** Random frames of every kind, drawn from one seeded Random. */
    private final class Generators {
        private final Random random;
        private final List<Supplier<Frame>> kinds = new ArrayList<>();

        Generators(Random random) {
            this.random = random;
            weight(3, this::randomBytes);
            weight(2, this::invalidUtf8);
            weight(8, this::mutatedRequest);
            weight(2, this::notAnObject);
            weight(6, this::wrongType);
            weight(1, this::deeplyNested);
            weight(1, this::longString);
        }

        private void weight(int n, Supplier<Frame> kind) {
            for (int i = 0; i < n; i++) {
                kinds.add(kind);
            }
        }

        Frame next() {
            return kinds.get(random.nextInt(kinds.size())).get();
        }

        /** Valid requests of every task of CA-PROTOCOL.md section 5; true marks the registration port. */
        private List<Map.Entry<Boolean, ObjectNode>> templates() {
            List<Map.Entry<Boolean, ObjectNode>> t = new ArrayList<>();
            String cn = pick(commonNames);
            BigInteger serial = pick(serials);
            ops(t, "get_ca", p -> { });
            ops(t, "get_crl", p -> { });
            ops(t, "generate_crl", p -> { });
            ops(t, "list_profiles", p -> { });
            ops(t, "get_profile", p -> p.put("profile", pick(List.of("server", "user", "ca", "no-such-profile"))));
            ops(t, "list_admins", p -> { });
            ops(t, "add_admin", p -> p.put("dn", "/C=FR/O=Company/OU=Admins/CN=fuzz-admin"));
            ops(t, "remove_admin", p -> p.put("dn", "/C=FR/O=Company/OU=Admins/CN=fuzz-admin"));
            // register and generate would make an RSA-4096 key: a wrong seed, and a CN too long to be fixed
            // by a few mutations plus an unknown profile, keep every variant away from key generation.
            ops(t, "register", p -> p.put("seed", "not-the-seed").put("cn", "fuzz-reg.example.com")
                    .put("profile", "server").set("sans", sans()));
            ops(t, "generate", p -> p.put("cn", "g".repeat(200)).put("profile", "no-such-profile").set("sans", sans()));
            ops(t, "sign", p -> p.put("csr", csrPem).put("profile", pick(List.of("server", "user"))));
            ops(t, "renew", p -> p.put("dn", cn).put("duration", 30));
            ops(t, "renew", p -> p.put("serial", serial));
            ops(t, "revoke", p -> p.put("dn", cn).put("reason", "certificateHold"));
            ops(t, "revoke", p -> p.put("serial", serial).put("reason", "keyCompromise"));
            ops(t, "unrevoke", p -> p.put("dn", cn));
            ops(t, "delete", p -> p.put("dn", "/CN=" + cn));
            ops(t, "view", p -> p.put("dn", cn));
            ops(t, "view", p -> p.put("serial", serial));
            ops(t, "ocsp_check", p -> p.put("cert", certPem));
            ops(t, "list_nodes", p -> p.put("limit", 5).put("offset", 1));
            ops(t, "get_node", p -> p.put("cn", cn));
            ObjectNode reg = request("register");
            ((ObjectNode) reg.get("params")).put("seed", "not-the-seed").put("cn", "fuzz-ra.example.com")
                    .put("profile", "ra");
            t.add(Map.entry(true, reg));
            ObjectNode status = request("status");
            ((ObjectNode) status.get("params")).put("cn", "fuzz-ra.example.com");
            t.add(Map.entry(true, status));
            return t;
        }

        private void ops(List<Map.Entry<Boolean, ObjectNode>> t, String task,
                         java.util.function.Consumer<ObjectNode> params) {
            ObjectNode request = request(task);
            params.accept((ObjectNode) request.get("params"));
            t.add(Map.entry(false, request));
        }

        private ObjectNode request(String task) {
            ObjectNode request = JsonNodeFactory.instance.objectNode().put("TASK", task);
            request.putObject("params");
            return request;
        }

        private JsonNode sans() {
            return JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode()
                    .put("type", "DNS").put("value", "fuzz.example.com"));
        }

        private Map.Entry<Boolean, ObjectNode> template() {
            return pick(templates());
        }

        private Frame randomBytes() {
            int length = random.nextBoolean() ? random.nextInt(65) : random.nextInt(4097);
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return new Frame("random-bytes", "", random.nextInt(5) == 0, bytes);
        }

        private Frame invalidUtf8() {
            byte[][] bad = {{(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC3},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE9}, {(byte) 0xF8, (byte) 0x88}};
            Map.Entry<Boolean, ObjectNode> t = template();
            byte[] valid = bytes(t.getValue());
            // Inside a string value most of the time, so that only the encoding is wrong.
            int at = random.nextInt(3) > 0 ? Math.max(1, indexOf(valid, (byte) '"', random.nextInt(valid.length)) + 1)
                    : random.nextInt(valid.length + 1);
            byte[] frame = insert(valid, Math.min(at, valid.length), pick(Arrays.asList(bad)));
            return new Frame("invalid-utf8", t.getValue().get("TASK").asText(), t.getKey(), frame);
        }

        private Frame mutatedRequest() {
            Map.Entry<Boolean, ObjectNode> t = template();
            byte[] b = bytes(t.getValue());
            int mutations = 1 + random.nextInt(4);
            StringBuilder kind = new StringBuilder();
            for (int m = 0; m < mutations && b.length > 0; m++) {
                int at = random.nextInt(b.length);
                switch (random.nextInt(7)) {
                    case 0 -> {
                        b[at] ^= (byte) (1 << random.nextInt(8));
                        kind.append("flip ");
                    }
                    case 1 -> {
                        b[at] = syntaxByte();
                        kind.append("set ");
                    }
                    case 2 -> {
                        b = insert(b, at, new byte[] {syntaxByte()});
                        kind.append("insert ");
                    }
                    case 3 -> {
                        b = remove(b, at, 1 + random.nextInt(Math.min(8, b.length - at)));
                        kind.append("delete ");
                    }
                    case 4 -> {
                        b = Arrays.copyOf(b, at);
                        kind.append("truncate ");
                    }
                    case 5 -> {
                        int len = 1 + random.nextInt(Math.min(16, b.length - at));
                        b = insert(b, random.nextInt(b.length + 1), Arrays.copyOfRange(b, at, at + len));
                        kind.append("duplicate ");
                    }
                    default -> {
                        b = insert(b, at, ("\"" + pick(List.of("TASK", "params", "serial", "dn", "cn", "csr"))
                                + "\":" + pick(WRONG_VALUES) + ",").getBytes(UTF_8));
                        kind.append("splice ");
                    }
                }
            }
            return new Frame("mutated", t.getValue().get("TASK").asText() + " " + kind.toString().strip(),
                    t.getKey(), b);
        }

        private byte syntaxByte() {
            String syntax = "{}[]\",:\\ 0123456789-+.eEtrufalsn\u0000\n";
            return random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                    : (byte) syntax.charAt(random.nextInt(syntax.length()));
        }

        private Frame notAnObject() {
            List<String> docs = List.of("[]", "[1,2]", "[{\"TASK\":\"get_ca\"}]", "1", "-1", "0", "1.5e300", "1e99999",
                    "\"get_ca\"", "\"\"", "null", "true", "false", " ", "", "\n", "{", "}", "{}", "{\"TASK\":null}",
                    "{\"TASK\":\"get_ca\"} {}", "{\"TASK\":\"get_ca\"}]", "{\"TASK\":\"get_ca\",\"TASK\":\"get_crl\"}",
                    "{'TASK':'get_ca'}", "{TASK:\"get_ca\"}", "{\"TASK\":\"get_ca\",}", "NaN", "Infinity",
                    "{\"TASK\":\"get_ca\"}\u0000", "\uFEFF{\"TASK\":\"get_ca\"}", "/* c */ {\"TASK\":\"get_ca\"}",
                    "[" + "9".repeat(random.nextInt(400)) + "]", "9".repeat(1 + random.nextInt(400)));
            return new Frame("not-an-object", "", random.nextInt(4) == 0, pick(docs).getBytes(UTF_8));
        }

        private Frame wrongType() {
            Map.Entry<Boolean, ObjectNode> t = template();
            ObjectNode request = t.getValue();
            String target;
            int choice = random.nextInt(10);
            if (choice == 0) {
                target = "TASK";
            } else if (choice == 1) {
                target = "params";
            } else {
                List<String> names = new ArrayList<>();
                request.get("params").fieldNames().forEachRemaining(names::add);
                names.addAll(List.of("serial", "dn", "cn", "limit", "offset", "duration", "reason", "sans"));
                target = pick(names);
            }
            String value = pick(WRONG_VALUES);
            String json;
            if (target.equals("TASK") || target.equals("params")) {
                json = splice(request, target, value);
            } else {
                ObjectNode params = ((ObjectNode) request.get("params")).deepCopy();
                params.remove(target);
                ObjectNode copy = request.deepCopy();
                copy.set("params", params);
                String inner = splice(params, target, value);
                json = "{\"TASK\":" + copy.get("TASK") + ",\"params\":" + inner + "}";
            }
            return new Frame("wrong-type", request.get("TASK").asText() + "." + target, t.getKey(),
                    json.getBytes(UTF_8));
        }

        /** {@code node} with {@code field} set to the raw JSON {@code value}. */
        private String splice(ObjectNode node, String field, String value) {
            ObjectNode copy = node.deepCopy();
            copy.remove(field);
            String rest = copy.toString();
            String pair = JsonNodeFactory.instance.textNode(field) + ":" + value;
            return rest.equals("{}") ? "{" + pair + "}" : "{" + pair + "," + rest.substring(1);
        }

        private Frame deeplyNested() {
            int depth = pick(List.of(10, 63, 64, 65, 100, 1000, 100_000));
            boolean arrays = random.nextBoolean();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                s.append(arrays ? "[" : "{\"a\":");
            }
            s.append("1");
            for (int i = 0; i < depth; i++) {
                s.append(arrays ? "]" : "}");
            }
            String nested = s.toString();
            String json = switch (random.nextInt(4)) {
                case 0 -> nested;
                case 1 -> "{\"TASK\":" + nested + "}";
                case 2 -> "{\"TASK\":\"get_ca\",\"params\":" + (arrays ? "{\"x\":" + nested + "}" : nested) + "}";
                default -> "{\"TASK\":\"" + pick(List.of("view", "sign", "revoke", "get_profile", "list_nodes"))
                        + "\",\"params\":{\"" + pick(List.of("dn", "serial", "csr", "profile", "limit", "reason"))
                        + "\":" + nested + "}}";
            };
            return new Frame("nested", Integer.toString(depth), false, json.getBytes(UTF_8));
        }

        private Frame longString() {
            int length = pick(List.of(65, 1000, 65_536, 500_000));
            String text = randomText(length);
            String field = pick(List.of("TASK", "dn", "cn", "csr", "profile", "reason", "cert", "seed", "key"));
            String task = pick(List.of("view", "sign", "revoke", "get_profile", "ocsp_check", "get_node", "add_admin"));
            String json = field.equals("TASK") ? "{\"TASK\":\"" + text + "\"}"
                    : field.equals("key") ? "{\"TASK\":\"get_ca\",\"params\":{\"" + text + "\":1}}"
                    : "{\"TASK\":\"" + task + "\",\"params\":{\"" + field + "\":\"" + text + "\"}}";
            return new Frame("long-string", field + "-" + length, false, json.getBytes(UTF_8));
        }

        private String randomText(int length) {
            // Letters, digits, JSON-safe punctuation and a few multi-byte characters; no '.' (see LEAK_MARKERS).
            String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_=/,"
                    + "\u00e9\u4e2d\ud83d\ude00";
            StringBuilder s = new StringBuilder(length);
            while (s.length() < length) {
                int i = random.nextInt(alphabet.length());
                char c = alphabet.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    s.append(c).append(alphabet.charAt(i + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    s.append(c);
                }
            }
            return s.toString();
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }
    }

    /** Values of the wrong type (or range) for any parameter, as raw JSON. */
    private static final List<String> WRONG_VALUES = List.of(
            "0", "5", "-1", "-5", "1.5", "-0.0", "1e308", "1e99999", "-1e99999",
            "123456789012345678901234567890123456789012345678901234567890",
            "-123456789012345678901234567890123456789012345678901234567890",
            "9".repeat(199), "9".repeat(201), "2147483648", "-2147483649", "9223372036854775808",
            "true", "false", "null", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"0\"", "\"-5\"",
            "\"" + "9".repeat(61) + "\"", "\"1e5\"", "\"0x10\"", "\"\\n\\t\"",
            "[]", "[1]", "[\"a\"]", "[null]", "[{\"type\":\"DNS\",\"value\":\"x\"}]", "[{\"type\":1,\"value\":[]}]",
            "[{\"type\":\"IP\",\"value\":\"999.1.1.1\"}]", "[{\"type\":\"URI\",\"value\":\"::\"}]",
            "{}", "{\"a\":1}", "{\"type\":\"DNS\",\"value\":\"x\"}", "[[[[[]]]]]",
            "\"" + "z".repeat(10_000) + "\"");

    // ---------------------------------------------------------------- exact messages

    @Test
    void unparsableJsonIsInvalidJsonWithTheParserDetail() {
        for (String doc : List.of("{not json", "{\"TASK\":", "{\"TASK\":\"get_ca\",}", "", "}")) {
            String msg = errorOf(sendOps(doc.getBytes(UTF_8)));
            assertThat(msg).as("MSG for %s", doc).startsWith("Invalid JSON: ")
                    .hasSizeGreaterThan("Invalid JSON: ".length());
            assertThat(checkMessage(msg)).as("MSG for %s: %s", doc, msg).isNull();
        }
    }

    @Test
    void parserAndCryptoDetailsDoNotLeakJavaNames() throws Exception {
        List<String> docs = List.of("{\"TASK\":\"get_ca\"} {}", "{\"TASK\":\"get_ca\"}\"x\"",
                "[".repeat(100) + "]".repeat(100),
                "{\"TASK\":NaN}", "{\"TASK\":+1}", "9".repeat(300), "{\"TASK\":\"get_ca\"", "{\"TASK\":\"get_ca\"]",
                "{\"" + "k".repeat(60_000) + "\":1}");
        for (String doc : docs) {
            String msg = errorOf(sendOps(doc.getBytes(UTF_8)));
            assertThat(msg).as("MSG for %.60s", doc).startsWith("Invalid JSON: ");
            assertThat(checkMessage(msg)).as("MSG for %.60s: %s", doc, msg).isNull();
        }
        // A DER body shorter than its own length header: BouncyCastle reports a java.io.IOException.
        String csr = truncatedDer(csrPem, "CERTIFICATE REQUEST");
        String msg = errorOf(sendOps(JsonNodeFactory.instance.objectNode().put("TASK", "sign")
                .set("params", JsonNodeFactory.instance.objectNode().put("csr", csr)).toString().getBytes(UTF_8)));
        assertThat(msg).startsWith("[300] Failed to load CSR: ");
        assertThat(checkMessage(msg)).as(msg).isNull();
        String cert = truncatedDer(certPem, "CERTIFICATE");
        msg = errorOf(sendOps(JsonNodeFactory.instance.objectNode().put("TASK", "ocsp_check")
                .set("params", JsonNodeFactory.instance.objectNode().put("cert", cert)).toString().getBytes(UTF_8)));
        assertThat(msg).startsWith("[300] Failed to load certificate: ");
        assertThat(checkMessage(msg)).as(msg).isNull();
    }

    /** The message filter runs on the frontend thread over echoed input: it must stay linear (no ReDoS). */
    @Test
    void longDottedTaskNameIsEchoedPromptly() {
        String name = "a.".repeat(250_000) + "Bb";
        String msg = errorOf(sendOps(("{\"TASK\":\"" + name + "\"}").getBytes(UTF_8)));
        assertThat(msg).isEqualTo("[700] Unknown task: " + name);
    }

    private static String truncatedDer(String pem, String type) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = java.util.Base64.getDecoder().decode(body);
        byte[] cut = Arrays.copyOf(der, der.length - 12);
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(cut) + "\n-----END " + type + "-----\n";
    }

    @Test
    void nonStringTaskIsAnUnknownTask() {
        assertThat(errorOf(sendOps("{\"TASK\": 5}".getBytes(UTF_8)))).isEqualTo("[700] Unknown task: 5");
        assertThat(errorOf(sendOps("{\"params\": {}}".getBytes(UTF_8)))).isEqualTo("[700] Unknown task: ");
        assertThat(errorOf(sendOps("{\"TASK\": \"GET_CA\"}".getBytes(UTF_8)))).isEqualTo("[700] Unknown task: GET_CA");
    }

    @Test
    void nullParamsOnATaskWithParametersIsAMissingParameter() {
        assertThat(errorOf(sendOps("{\"TASK\":\"get_profile\",\"params\":null}".getBytes(UTF_8))))
                .isEqualTo("[700] Missing profile parameter");
    }

    @Test
    void requestThatIsNotAnObjectIsRefused() {
        assertThat(errorOf(sendOps("[1,2]".getBytes(UTF_8)))).isEqualTo("[700] Request must be a JSON object");
        for (String doc : List.of("5", "\"get_ca\"", "null", "true")) {
            assertThat(errorOf(sendOps(doc.getBytes(UTF_8)))).as(doc).isEqualTo("[700] Request must be a JSON object");
        }
    }

    @Test
    void paramsThatAreNotAnObjectAreRefused() {
        for (String params : List.of("[]", "5", "\"x\"", "true")) {
            assertThat(errorOf(sendOps(("{\"TASK\":\"get_ca\",\"params\":" + params + "}").getBytes(UTF_8))))
                    .as(params).isEqualTo("[700] params must be a JSON object");
        }
    }

    @Test
    void nonUtf8BytesAreInvalidJson() {
        byte[] latin1 = "{\"TASK\":\"view\",\"params\":{\"dn\":\"caf\u00e9\"}}".getBytes(ISO_8859_1);
        assertThat(errorOf(sendOps(latin1))).isEqualTo("Invalid JSON: request is not valid UTF-8");
        assertThat(errorOf(sendOps(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'})))
                .isEqualTo("Invalid JSON: request is not valid UTF-8");
        // The CA is not wedged by it (uPKI's ops listener is).
        assertThat(sendOps("{\"TASK\":\"get_ca\"}".getBytes(UTF_8)).path("DATA").asText()).isEqualTo(caPem);
    }

    @Test
    void frameJustOverOneMebibyteIsRefusedNamingTheLimit() {
        byte[] frame = paddedGetCa(LIMIT + 1);
        String msg = errorOf(sendOps(frame));
        assertThat(msg).startsWith("[700] ").contains("exceeds the limit").contains(Integer.toString(LIMIT));
        assertThat(checkMessage(msg)).isNull();
    }

    @Test
    void frameOfExactlyTheLimitIsServed() {
        JsonNode reply = sendOps(paddedGetCa(LIMIT));
        assertThat(reply.path("EVENT").asText()).as("reply %s", reply).isEqualTo("ANSWER");
        assertThat(reply.path("DATA").asText()).isEqualTo(caPem);
    }

    @Test
    void multiFrameMessagesGetAnErrorNotAHang() {
        byte[] getCa = "{\"TASK\":\"get_ca\"}".getBytes(UTF_8);
        List<List<byte[]>> messages = List.of(
                List.of(getCa, getCa),
                List.of(getCa, new byte[0]),
                List.of(new byte[0], getCa),
                List.of(getCa, getCa, getCa, getCa, getCa),
                List.of("{\"TASK\":".getBytes(UTF_8), "\"get_ca\"}".getBytes(UTF_8)));
        for (List<byte[]> message : messages) {
            for (String endpoint : List.of(ca.opsEndpoint(), ca.registrationEndpoint())) {
                JsonNode reply = send(endpoint, message);
                String msg = errorOf(reply);
                assertThat(msg).as("%d frames to %s", message.size(), endpoint)
                        .isEqualTo("[700] Request must be exactly one frame, got " + message.size());
            }
        }
        assertThat(sendOps(getCa).path("DATA").asText()).isEqualTo(caPem);
    }

    /** {@code {"TASK":"get_ca","params":{"pad":"xxx..."}}} of exactly {@code size} bytes. */
    private static byte[] paddedGetCa(int size) {
        String head = "{\"TASK\":\"get_ca\",\"params\":{\"pad\":\"";
        String tail = "\"}}";
        byte[] frame = (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(UTF_8);
        assertThat(frame).hasSize(size);
        return frame;
    }

    // ---------------------------------------------------------------- helpers

    private JsonNode sendOps(byte[] frame) {
        return send(ca.opsEndpoint(), List.of(frame));
    }

    /** Sends one message and returns the parsed, well-formed reply (asserting it came and is well-formed). */
    private JsonNode send(String endpoint, List<byte[]> frames) {
        List<byte[]> reply = raw.exchange(endpoint, frames, REPLY_TIMEOUT);
        assertThat(reply).as("reply within %s", REPLY_TIMEOUT).isNotNull();
        assertThat(check(reply)).as("reply %s", show(reply.get(0))).isNull();
        try {
            return STRICT.readTree(new String(reply.get(0), UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String errorOf(JsonNode reply) {
        assertThat(reply.path("EVENT").asText()).as("reply %s", reply).isEqualTo("UPKI ERROR");
        return reply.path("MSG").asText();
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(UTF_8);
    }

    private static int indexOf(byte[] b, byte value, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + what.length);
        out.write(b, 0, at);
        out.write(what, 0, what.length);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    private static byte[] remove(byte[] b, int at, int length) {
        byte[] out = new byte[b.length - length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + length, out, at, b.length - at - length);
        return out;
    }

    /** Printable form of a frame: text when it decodes, else hex; shortened. */
    private static String show(byte[] frame) {
        String text = new String(frame, UTF_8);
        String s = text.chars().allMatch(c -> c >= 0x20 && c != 0xFFFD || c == '\n')
                ? text : "hex:" + HexFormat.of().formatHex(frame, 0, Math.min(frame.length, 200));
        return s.length() > 300 ? s.substring(0, 300) + "...(" + frame.length + " bytes)" : s;
    }
}
