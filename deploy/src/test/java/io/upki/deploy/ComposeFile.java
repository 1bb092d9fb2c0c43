package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parts of a docker-compose.yml the cross-checks need: services, their mounts, networks and labels. */
record ComposeFile(JsonNode root, Path dir) {

    /** One mount of a service: a named volume or a bind mount (source relative to the Compose file). */
    record Mount(String source, String target, boolean readOnly) {
        boolean bind() {
            return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        }
    }

    static ComposeFile load(Path file) {
        return new ComposeFile(Repo.yaml(file), file.toAbsolutePath().getParent());
    }

    Map<String, JsonNode> services() {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        root.path("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    JsonNode service(String name) {
        return root.path("services").path(name);
    }

    /** The service running the Traefik image, or null. */
    String traefikService() {
        for (Map.Entry<String, JsonNode> s : services().entrySet()) {
            if (s.getValue().path("image").asText().startsWith("traefik:")) {
                return s.getKey();
            }
        }
        return null;
    }

    List<Mount> mounts(String service) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode v : service(service).path("volumes")) {
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                if (parts.length >= 2) {
                    mounts.add(new Mount(parts[0], parts[1], parts.length > 2 && parts[2].contains("ro")));
                }
            } else {
                mounts.add(new Mount(v.path("source").asText(), v.path("target").asText(), v.path("read_only").asBoolean()));
            }
        }
        return mounts;
    }

    /** The mount whose target contains {@code containerPath}, the longest one if several. */
    Mount mountOf(String service, String containerPath) {
        Mount best = null;
        for (Mount m : mounts(service)) {
            String t = m.target().endsWith("/") ? m.target() : m.target() + "/";
            if ((containerPath.equals(m.target()) || containerPath.startsWith(t))
                    && (best == null || m.target().length() > best.target().length())) {
                best = m;
            }
        }
        return best;
    }

    /** Compose network keys a service joins. */
    Set<String> networksOf(String service) {
        Set<String> networks = new LinkedHashSet<>();
        JsonNode n = service(service).path("networks");
        if (n.isArray()) {
            n.forEach(x -> networks.add(x.asText()));
        } else if (n.isObject()) {
            n.fieldNames().forEachRemaining(networks::add);
        } else {
            networks.add("default");
        }
        return networks;
    }

    /** Names a service is reachable under on a network: its service name and aliases there. */
    Set<String> namesOn(String service, String network) {
        Set<String> names = new LinkedHashSet<>();
        names.add(service);
        service(service).path("networks").path(network).path("aliases").forEach(a -> names.add(a.asText()));
        return names;
    }

    /** The engine-level name of a network key: its {@code name:} if set, else unknown (project-prefixed). */
    String networkName(String key) {
        return root.path("networks").path(key).path("name").asText(null);
    }

    boolean declaresVolume(String name) {
        return root.path("volumes").has(name);
    }
}
