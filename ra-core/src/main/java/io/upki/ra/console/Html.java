package io.upki.ra.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's template helper: {@code {{name}}} is replaced by a value HTML-escaped, {@code {{{name}}}}
 * only by a {@link Safe} fragment (one this class built), so that no string reaches a page unescaped by
 * accident. Templates are classpath resources under {@code /console/} or text blocks; a missing value is
 * an error, not an empty string.
 */
final class Html {
    private static final Pattern SLOT = Pattern.compile("\\{\\{\\{([a-z_]+)}}}|\\{\\{([a-z_]+)}}");
    private static final Map<String, Template> RESOURCES = new ConcurrentHashMap<>();

    private Html() {
    }

    /** Markup that is already escaped (or contains no text from outside). */
    record Safe(String html) {
        @Override
        public String toString() {
            return html;
        }
    }

    /** A parsed template; render it with name, value pairs. */
    static final class Template {
        private final String text;

        Template(String text) {
            this.text = text;
        }

        Safe render(Object... pairs) {
            Map<String, Object> values = new java.util.HashMap<>();
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                values.put((String) pairs[i], pairs[i + 1]);
            }
            Matcher m = SLOT.matcher(text);
            StringBuilder out = new StringBuilder(text.length() + 256);
            while (m.find()) {
                boolean raw = m.group(1) != null;
                String name = raw ? m.group(1) : m.group(2);
                if (!values.containsKey(name)) {
                    throw new IllegalStateException("template value missing: " + name);
                }
                Object v = values.get(name);
                String replacement;
                if (raw) {
                    if (!(v instanceof Safe safe)) {
                        throw new IllegalStateException("{{{" + name + "}}} takes only markup built by Html");
                    }
                    replacement = safe.html();
                } else {
                    replacement = escape(v == null ? "" : String.valueOf(v));
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return new Safe(out.toString());
        }
    }

    static Template of(String text) {
        return new Template(text);
    }

    /** The template in {@code /console/<name>}, read once. */
    static Template resource(String name) {
        return RESOURCES.computeIfAbsent(name, n -> {
            try (InputStream in = Html.class.getResourceAsStream("/console/" + n)) {
                if (in == null) {
                    throw new IllegalStateException("no template /console/" + n);
                }
                return new Template(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Escapes text for an element body or a quoted attribute value. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Fragments one after the other. */
    static Safe join(List<Safe> parts) {
        StringBuilder b = new StringBuilder();
        parts.forEach(p -> b.append(p.html()));
        return new Safe(b.toString());
    }

    /** Collects fragments, then {@link #join}s them. */
    static final class Parts {
        private final List<Safe> parts = new ArrayList<>();

        Parts add(Safe part) {
            parts.add(part);
            return this;
        }

        boolean isEmpty() {
            return parts.isEmpty();
        }

        Safe html() {
            return join(parts);
        }
    }

    static final Safe EMPTY = new Safe("");
}
