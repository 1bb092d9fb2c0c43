package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of a process under load (the sidecar's steps unless given others): share of CPU samples under each step of a
 * request (inclusive), the hottest methods (self), and GC pauses.
 */
final class JfrTop {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Steps of a forward-auth request, by the method that runs them. */
    private static final Map<String, String> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("io.upki.sidecar.SidecarApp.authorize", "whole forward-auth handler (SidecarApp.authorize)");
        STEPS.put("io.upki.sidecar.decision.DecisionEngine.decide", "decision (DecisionEngine.decide)");
        STEPS.put("io.upki.pki.clientcert.TraefikSource.read", "header decode + X.509 parse (TraefikSource.read)");
        STEPS.put("io.upki.pki.clientcert.NginxSource.read", "header decode + X.509 parse (NginxSource.read)");
        STEPS.put("io.upki.pki.trust.ChainVerifier.verify", "path verification (ChainVerifier.verify)");
        STEPS.put("io.upki.pki.trust.ChainVerifier.signedBy", "  of which signature checks (ChainVerifier.signedBy)");
        STEPS.put("io.upki.pki.crl.RevocationIndex.check", "revocation lookup (RevocationIndex.check)");
        STEPS.put("io.upki.pki.assertion.AssertionSigner.sign", "assertion (AssertionSigner.sign)");
        STEPS.put("java.security.Signature.sign", "  of which the ECDSA signature");
        STEPS.put("io.upki.pki.assertion.AssertionSigner.claims", "  of which the claims JSON");
        STEPS.put("io.upki.sidecar.SidecarApp.audit", "audit line (SidecarApp.audit)");
        STEPS.put("io.javalin.http.Context.json", "JSON body (Context.json)");
        STEPS.put("org.eclipse.jetty.http.HttpParser.parseNext", "Jetty request parsing");
        STEPS.put("org.eclipse.jetty.http.HttpGenerator.generateHeaders", "Jetty response headers");
    }

    private JfrTop() {
    }

    static ObjectNode summarise(Path recording, String label, int top) throws IOException {
        return summarise(recording, label, top, STEPS, "io.upki.sidecar.SidecarApp.authorize");
    }

    /**
     * The same summary for any process: {@code steps} maps a method (class.method) to the name of the step
     * it runs (a key ending in {@code *} covers every method under that prefix), and native samples count only
     * when their stack holds a method starting with {@code nativeAnchor} (the code of one request), so threads
     * parked in native waits between requests are left out.
     */
    static ObjectNode summarise(Path recording, String label, int top, Map<String, String> steps,
                                String nativeAnchor) throws IOException {
        int samples = 0;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inSteps = new HashMap<>();
        Map<String, Integer> nativeInSteps = new HashMap<>();
        int nativeSamples = 0;
        long gcCount = 0;
        Duration gcPause = Duration.ZERO;
        Duration longest = Duration.ZERO;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.GCPhasePause")) {
                gcCount++;
                gcPause = gcPause.plus(e.getDuration());
                if (e.getDuration().compareTo(longest) > 0) {
                    longest = e.getDuration();
                }
                continue;
            }
            boolean nativeSample = type.equals("jdk.NativeMethodSample");
            if (!type.equals("jdk.ExecutionSample") && !nativeSample) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            // JFR samples native code (the native crypto provider) apart from Java code, and also threads
            // parked in native waits (selectors, sockets): only native samples inside a request count.
            if (nativeSample && stack.getFrames().stream().noneMatch(f -> name(f).startsWith(nativeAnchor))) {
                continue;
            }
            samples++;
            if (nativeSample) {
                nativeSamples++;
            }
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                for (String step : steps.keySet()) {
                    if (matches(step, n) && seen.add(step)) {
                        inSteps.merge(step, 1, Integer::sum);
                        if (nativeSample) {
                            nativeInSteps.merge(step, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("label", label);
        out.put("kind", "jfr");
        out.put("samples", samples);
        out.put("native_samples", nativeSamples);
        out.put("gc_pauses", gcCount);
        out.put("gc_pause_total_ms", gcPause.toNanos() / 1e6);
        out.put("gc_pause_max_ms", longest.toNanos() / 1e6);
        ArrayNode stepList = out.putArray("steps");
        for (Map.Entry<String, String> s : steps.entrySet()) {
            int c = inSteps.getOrDefault(s.getKey(), 0);
            if (c > 0) {
                stepList.addObject().put("step", s.getValue()).put("percent", Stats.round(100.0 * c / Math.max(1, samples), 1))
                        .put("samples", c).put("native_samples", nativeInSteps.getOrDefault(s.getKey(), 0));
            }
        }
        ArrayNode hot = out.putArray("hot_methods");
        int total = samples;
        self.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                .forEach(en -> hot.addObject().put("method", en.getKey())
                        .put("percent", Stats.round(100.0 * en.getValue() / Math.max(1, total), 1)));
        return out;
    }

    /** A step is a method (class.method), or every method under a prefix when it ends in {@code *}. */
    private static boolean matches(String step, String method) {
        return step.endsWith("*") ? method.startsWith(step.substring(0, step.length() - 1)) : step.equals(method);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
