package io.upki.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue #16 M1 in the Compose deployment: Traefik reaches the auth-sidecar and ra-core's edge listener
 * only over mutual TLS, presenting upki's proxy certificate and verifying theirs against upki's CA, and
 * both processes are started so that they require it. Without this, any container on the internal
 * network that reaches the sidecar gets an administrator's assertion for an administrator's (public)
 * certificate.
 */
final class ProxyMtlsChecks {
    private final Stack stack;
    private final List<String> problems = new ArrayList<>();

    private ProxyMtlsChecks(Stack stack) {
        this.stack = stack;
    }

    static List<String> problems(Stack stack) {
        ProxyMtlsChecks checks = new ProxyMtlsChecks(stack);
        checks.checkProcesses();
        checks.checkForwardAuth();
        checks.checkRaServices();
        checks.checkAcme();
        return checks.problems;
    }

    private List<String> args(String service) {
        List<String> args = new ArrayList<>();
        stack.compose().service(service).path("command").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** The sidecar serves HTTPS (so it can ask for the proxy's certificate) and ra-core's edge listener too. */
    private void checkProcesses() {
        List<String> sidecar = args("auth-sidecar");
        for (String option : List.of("--tls-cert", "--tls-key")) {
            int i = sidecar.indexOf(option);
            if (i < 0 || i + 1 >= sidecar.size()) {
                problems.add("auth-sidecar: no " + option + ": the sidecar would serve plain HTTP to anyone on its network");
            } else if (stack.compose().mountOf("auth-sidecar", sidecar.get(i + 1)) == null) {
                problems.add("auth-sidecar: " + option + " " + sidecar.get(i + 1) + " is in no volume of the service");
            }
        }
        List<String> ra = args("ra-core");
        int mode = ra.indexOf("--mode");
        if (mode >= 0 && ra.get(mode + 1).equals("edge") && !ra.contains("--edge-tls")) {
            problems.add("ra-core: edge mode without --edge-tls serves anyone holding a sidecar assertion");
        }
    }

    private void checkForwardAuth() {
        stack.fileProvider().path("http").path("middlewares").properties().forEach(e -> {
            JsonNode auth = e.getValue().path("forwardAuth");
            if (auth.isMissingNode()) {
                return;
            }
            String where = "middleware " + e.getKey();
            URI address = URI.create(auth.path("address").asText());
            if (!"https".equals(address.getScheme())) {
                problems.add(where + ": " + address + " is not HTTPS: the sidecar requires the proxy's certificate");
            }
            for (String field : List.of("ca", "cert", "key")) {
                String path = auth.path("tls").path(field).asText(null);
                if (path == null) {
                    problems.add(where + ": no tls." + field + " (mutual TLS with the sidecar)");
                } else {
                    pathOnTraefik(where + " tls." + field, path);
                }
            }
        });
    }

    /** Every service routing to ra-core: HTTPS through a transport that presents the proxy certificate. */
    private void checkRaServices() {
        JsonNode docker = stack.labels().values().stream().map(TraefikLabels.Result::dynamic)
                .reduce((a, b) -> a).orElseThrow();
        Map.of("file", stack.fileProvider(), "docker", docker).forEach((provider, config) ->
                config.path("http").path("services").properties().forEach(e -> {
                    JsonNode lb = e.getValue().path("loadBalancer");
                    boolean toRa = false;
                    for (JsonNode server : lb.path("servers")) {
                        URI url = URI.create(server.path("url").asText());
                        toRa |= "ra-core".equals(url.getHost());
                        if ("ra-core".equals(url.getHost()) && !"https".equals(url.getScheme())) {
                            problems.add("service " + e.getKey() + "@" + provider + ": " + url + " is not HTTPS");
                        }
                    }
                    if (toRa) {
                        checkTransport("service " + e.getKey() + "@" + provider, lb.path("serversTransport").asText(""));
                    }
                }));
    }

    private void checkTransport(String where, String reference) {
        if (reference.isEmpty()) {
            problems.add(where + ": no serversTransport: Traefik would present no certificate to ra-core");
            return;
        }
        String name = reference.endsWith("@file") ? reference.substring(0, reference.length() - 5) : reference;
        JsonNode transport = stack.fileProvider().path("http").path("serversTransports").path(name);
        if (transport.isMissingNode()) {
            problems.add(where + ": serversTransport " + reference + " does not exist in the file provider");
            return;
        }
        if (transport.path("insecureSkipVerify").asBoolean(false)) {
            problems.add(where + ": serversTransport " + name + " skips verifying ra-core's certificate");
        }
        if (transport.path("rootCAs").isEmpty()) {
            problems.add(where + ": serversTransport " + name + " has no rootCAs (upki's ca.crt)");
        }
        transport.path("rootCAs").forEach(ca -> pathOnTraefik("serversTransport " + name + " rootCAs", ca.asText()));
        if (transport.path("certificates").isEmpty()) {
            problems.add(where + ": serversTransport " + name + " presents no client certificate");
        }
        transport.path("certificates").forEach(c -> {
            pathOnTraefik("serversTransport " + name + " certFile", c.path("certFile").asText());
            pathOnTraefik("serversTransport " + name + " keyFile", c.path("keyFile").asText());
        });
    }

    /** Traefik's ACME client verifies ra-core's HTTPS certificate against upki's CA. */
    private void checkAcme() {
        stack.staticConfig().path("certificatesResolvers").properties().forEach(e -> {
            JsonNode acme = e.getValue().path("acme");
            URI server = URI.create(acme.path("caServer").asText("https://acme-v02.api.letsencrypt.org/directory"));
            if (!"ra-core".equals(server.getHost())) {
                return;
            }
            String where = "certificate resolver " + e.getKey();
            if (!"https".equals(server.getScheme())) {
                problems.add(where + ": " + server + " is not HTTPS");
            }
            if (acme.path("caCertificates").isEmpty()) {
                problems.add(where + ": no caCertificates: Traefik would not trust ra-core's upki certificate");
            }
            acme.path("caCertificates").forEach(ca -> pathOnTraefik(where + " caCertificates", ca.asText()));
        });
    }

    private void pathOnTraefik(String what, String path) {
        String problem = EdgeChecks.traefikPathProblem(stack.compose(), what, path, false);
        if (problem != null) {
            problems.add(problem);
        }
    }
}
