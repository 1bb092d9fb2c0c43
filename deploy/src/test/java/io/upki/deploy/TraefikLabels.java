package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Traefik labels of one Compose service turned into the dynamic-configuration shape of the file
 * provider, as Traefik's Docker provider reads them, so that the same JSON schema can judge them.
 *
 * <p>Traefik's label conventions: keys are dotted paths matched case-insensitively against the
 * configuration's field names ({@code loadbalancer} is {@code loadBalancer}); a string list is one
 * comma-separated value ({@code middlewares=a,b}); {@code name[0]} indexes a list of objects; an
 * object field set to {@code true} enables it with defaults ({@code tls=true}); and the Docker
 * provider's {@code loadbalancer.server.port} / {@code .scheme} stand for the one server of the
 * container ({@code servers[0].url}). Only {@code traefik.enable} and {@code traefik.docker.*} are
 * provider settings; every other key must be {@code traefik.http|tcp|udp.*} (TLS options, for one,
 * cannot be labels).
 */
final class TraefikLabels {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern INDEXED = Pattern.compile("(.+)\\[(\\d+)]");
    private static final Pattern SERVER = Pattern.compile(
            "traefik\\.http\\.services\\.([^.]+)\\.loadbalancer\\.server\\.(port|scheme)", Pattern.CASE_INSENSITIVE);

    /** What the labels of one container say. */
    record Result(String service, ObjectNode dynamic, boolean enabled, String network, List<String> problems) {
    }

    private TraefikLabels() {
    }

    /** Labels of a Compose service, list ({@code k=v}) or map form. */
    static Map<String, String> of(JsonNode composeService) {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode node = composeService.path("labels");
        if (node.isArray()) {
            for (JsonNode item : node) {
                String text = item.asText();
                int eq = text.indexOf('=');
                labels.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    static Result parse(String service, Map<String, String> labels) {
        JsonNode schema = Schemas.raw(Schemas.TRAEFIK_DYNAMIC);
        ObjectNode out = F.objectNode();
        List<String> problems = new ArrayList<>();
        boolean enabled = false;
        String network = null;
        Map<String, Map<String, String>> servers = new LinkedHashMap<>();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String key = label.getKey();
            String value = label.getValue();
            String lower = key.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("traefik.")) {
                continue;
            }
            if (lower.equals("traefik.enable")) {
                if (!value.equals("true") && !value.equals("false")) {
                    problems.add(service + ": " + key + " must be true or false, not " + value);
                }
                enabled = value.equals("true");
                continue;
            }
            if (lower.equals("traefik.docker.network")) {
                network = value;
                continue;
            }
            if (lower.equals("traefik.docker.allownonrunning")) {
                continue;
            }
            Matcher server = SERVER.matcher(key);
            if (server.matches()) {
                servers.computeIfAbsent(server.group(1), s -> new LinkedHashMap<>())
                        .put(server.group(2).toLowerCase(Locale.ROOT), value);
                continue;
            }
            String[] segments = key.substring("traefik.".length()).split("\\.");
            String root = segments[0].toLowerCase(Locale.ROOT);
            if (root.equals("tls")) {
                problems.add(service + ": " + key + ": TLS options and stores cannot be Docker labels;"
                        + " define them in the file provider and name them <name>@file");
                continue;
            }
            if (!root.equals("http") && !root.equals("tcp") && !root.equals("udp")) {
                problems.add(service + ": " + key + ": not a Traefik label (traefik.enable, traefik.docker.*,"
                        + " traefik.http|tcp|udp.*)");
                continue;
            }
            put(schema, schema, out, segments, 0, value);
        }
        for (Map.Entry<String, Map<String, String>> s : servers.entrySet()) {
            String port = s.getValue().get("port");
            if (port == null) {
                problems.add(service + ": service " + s.getKey() + " has loadbalancer.server.scheme but no port");
                continue;
            }
            String scheme = s.getValue().getOrDefault("scheme", "http");
            ObjectNode lb = out.withObjectProperty("http").withObjectProperty("services").withObjectProperty(s.getKey()).withObjectProperty("loadBalancer");
            lb.putArray("servers").addObject().put("url", scheme + "://" + service + ":" + port);
        }
        defaultServices(service, out, problems);
        return new Result(service, out, enabled, network, problems);
    }

    /**
     * As the Docker provider does: a router without a service gets the container's service when the
     * labels define exactly one. With none, Traefik would invent one from the exposed port, which
     * these files never rely on.
     */
    private static void defaultServices(String service, ObjectNode out, List<String> problems) {
        for (String protocol : new String[] {"http", "tcp", "udp"}) {
            JsonNode services = out.path(protocol).path("services");
            out.path(protocol).path("routers").properties().forEach(r -> {
                if (r.getValue().has("service") || !(r.getValue() instanceof ObjectNode router)) {
                    return;
                }
                if (services.size() == 1) {
                    router.put("service", services.fieldNames().next());
                } else {
                    problems.add(service + ": router " + r.getKey() + " names no service and the container defines "
                            + services.size() + "; name one");
                }
            });
        }
    }

    /** Writes {@code value} at {@code segments[i..]} below {@code out}, guided by the schema node {@code at}. */
    private static void put(JsonNode root, JsonNode at, ObjectNode out, String[] segments, int i, String value) {
        String segment = segments[i];
        Integer index = null;
        Matcher m = INDEXED.matcher(segment);
        if (m.matches()) {
            segment = m.group(1);
            index = Integer.valueOf(m.group(2));
        }
        String name = segment;
        JsonNode child = null;
        if (at != null) {
            Map<String, JsonNode> properties = properties(root, at);
            for (Map.Entry<String, JsonNode> p : properties.entrySet()) {
                if (p.getKey().equalsIgnoreCase(segment)) {
                    name = p.getKey();
                    child = p.getValue();
                    break;
                }
            }
            if (child == null) {
                JsonNode additional = resolve(root, at).path("additionalProperties");
                if (additional.isObject()) {
                    child = additional;
                }
            }
        }
        if (index != null) {
            JsonNode items = child == null ? null : resolve(root, child).path("items");
            ArrayNode list = out.has(name) && out.get(name).isArray() ? (ArrayNode) out.get(name) : out.putArray(name);
            while (list.size() <= index) {
                list.addObject();
            }
            ObjectNode element = (ObjectNode) list.get(index);
            if (i == segments.length - 1) {
                list.set(index, F.textNode(value));
            } else {
                put(root, items == null || items.isMissingNode() ? null : items, element, segments, i + 1, value);
            }
            return;
        }
        if (i == segments.length - 1) {
            JsonNode converted = convert(root, child, value);
            if (!(converted.isObject() && out.get(name) instanceof ObjectNode)) {
                out.set(name, converted);
            }
            return;
        }
        ObjectNode next = out.get(name) instanceof ObjectNode o ? o : out.putObject(name);
        put(root, child, next, segments, i + 1, value);
    }

    /** A label value as the schema's type at that place expects it. */
    private static JsonNode convert(JsonNode root, JsonNode schema, String value) {
        String type = schema == null ? "string" : type(resolve(root, schema));
        switch (type) {
            case "array": {
                ArrayNode list = F.arrayNode();
                String itemType = type(resolve(root, resolve(root, schema).path("items")));
                for (String part : value.split(",")) {
                    list.add(scalar(itemType, part.strip()));
                }
                return list;
            }
            case "object":
                return value.equals("true") ? F.objectNode() : F.textNode(value);
            default:
                return scalar(type, value);
        }
    }

    private static JsonNode scalar(String type, String value) {
        try {
            switch (type) {
                case "boolean":
                    return value.equals("true") || value.equals("false") ? F.booleanNode(Boolean.parseBoolean(value))
                            : F.textNode(value);
                case "integer":
                    return F.numberNode(Long.parseLong(value));
                case "number":
                    return F.numberNode(Double.parseDouble(value));
                default:
                    return F.textNode(value);
            }
        } catch (NumberFormatException e) {
            return F.textNode(value);
        }
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray() && type.size() > 0) {
            return type.get(0).asText();
        }
        if (type.isTextual()) {
            return type.asText();
        }
        if (schema.has("properties") || schema.has("additionalProperties")) {
            return "object";
        }
        return "string";
    }

    /** Follows {@code $ref} (local JSON pointers only, which is all these schemas use). */
    static JsonNode resolve(JsonNode root, JsonNode schema) {
        JsonNode s = schema;
        for (int hops = 0; s != null && s.has("$ref") && hops < 20; hops++) {
            String ref = s.get("$ref").asText();
            s = ref.startsWith("#") ? root.at(ref.substring(1)) : null;
        }
        return s == null ? F.objectNode() : s;
    }

    /** Properties of a schema node, including those of its oneOf / anyOf / allOf alternatives. */
    private static Map<String, JsonNode> properties(JsonNode root, JsonNode schema) {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        collect(root, resolve(root, schema), all, 0);
        return all;
    }

    private static void collect(JsonNode root, JsonNode s, Map<String, JsonNode> all, int depth) {
        if (depth > 10) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : s.path("properties").properties()) {
            all.putIfAbsent(e.getKey(), e.getValue());
        }
        for (String combinator : new String[] {"oneOf", "anyOf", "allOf"}) {
            for (JsonNode alternative : s.path(combinator)) {
                collect(root, resolve(root, alternative), all, depth + 1);
            }
        }
    }
}
