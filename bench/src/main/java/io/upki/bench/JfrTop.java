package io.upki.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
    private static final Map<String, String> STEPS = steps("jfr-steps-sidecar.tsv");


    private JfrTop() {
    }

    /**
     * The steps listed in a resource beside this class, in order: one {@code method<TAB>step name} a line
     * ({@code #} lines are comments), a method ending in {@code *} covering every method under that prefix.
     */
    static Map<String, String> steps(String resource) {
        try (InputStream in = JfrTop.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Map<String, String> steps = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int tab = line.indexOf('\t');
                if (!line.startsWith("#") && tab > 0) {
                    steps.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
            return steps;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
