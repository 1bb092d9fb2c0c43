package io.upki.cli.transport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The same operations through the ra-core's REST API ({@code ra-core/src/main/resources/openapi.json}),
 * authenticated by a client certificate. The RA answers 503 when the CA is down and 4xx with
 * {@code {"message": ...}} when it refuses; both are mapped to exit codes here, once.
 */
public final class RaAuthority implements Authority {
    /** The RA's largest page of {@code GET /api/v1/certificates}. */
    private static final int RA_PAGE = 1000;

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final ObjectMapper mapper;

    public RaAuthority(HttpClient http, URI base, Duration timeout, ObjectMapper mapper) {
        this.http = http;
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.timeout = timeout;
        this.mapper = mapper.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    @Override
    public String endpoint() {
        return base.toString();
    }

    @Override
    public String caCertificate() {
        return new String(send("GET", "/api/v1/public/ca", null, "*/*"), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] crl() {
        return send("GET", "/api/v1/public/crl", null, "application/pkix-crl");
    }

    @Override
    public byte[] generateCrl() {
        json("POST", "/api/v1/crl", mapper.createObjectNode());
        return crl();
    }

    @Override
    public List<String> profileNames() {
        return texts("/api/v1/public/profiles");
    }

    @Override
    public ProfileDocument profile(String name) {
        return read(json("GET", "/api/v1/public/profiles/" + segment(name), null), ProfileDocument.class);
    }

    @Override
    public SignedCertificate sign(String csrPem, String profile) {
        ObjectNode body = mapper.createObjectNode().put("csr", csrPem).put("profile", profile);
        return read(json("POST", "/api/v1/certificates", body), SignedCertificate.class);
    }

    @Override
    public SignedCertificate renew(CertificateRef target, Integer durationDays) {
        ObjectNode body = mapper.createObjectNode();
        if (durationDays != null) {
            body.put("duration", durationDays);
        }
        return read(json("POST", "/api/v1/certificates/" + id(target) + "/renew", body), SignedCertificate.class);
    }

    @Override
    public void revoke(CertificateRef target, RevocationReason reason) {
        json("POST", "/api/v1/certificates/" + id(target) + "/revoke",
                mapper.createObjectNode().put("reason", reason.wireName()));
    }

    @Override
    public CertificateView view(CertificateRef target) {
        return read(json("GET", "/api/v1/certificates/" + id(target), null), CertificateView.class);
    }

    @Override
    public List<NodeRecord> list(NodeFilter filter, int offset, int limit) {
        List<NodeRecord> out = new ArrayList<>();
        int position = offset;
        while (out.size() < limit) {
            int page = Math.min(RA_PAGE, limit - out.size());
            StringBuilder q = new StringBuilder("/api/v1/certificates?limit=").append(page).append("&offset=").append(position);
            appendQuery(q, "state", filter.state());
            appendQuery(q, "profile", filter.profile());
            appendQuery(q, "cn", filter.cn());
            JsonNode items = json("GET", q.toString(), null).path("items");
            for (JsonNode n : items) {
                out.add(read(n, NodeRecord.class));
            }
            if (items.size() < page) {
                break;
            }
            position += items.size();
        }
        return out;
    }

    @Override
    public List<String> admins() {
        return texts("/api/v1/admins");
    }

    @Override
    public void addAdmin(String dn) {
        json("POST", "/api/v1/admins", mapper.createObjectNode().put("dn", dn));
    }

    @Override
    public void removeAdmin(String dn) {
        json("DELETE", "/api/v1/admins?dn=" + query(dn), null);
    }

    @Override
    public void close() {
        // java.net.http.HttpClient closes its connections when it is no longer referenced (Java 17).
    }

    /** The RA names a certificate in the path by decimal serial or by CN/DN. */
    private static String id(CertificateRef target) {
        if (target instanceof CertificateRef.Serial s) {
            return s.serial().toString();
        }
        return segment(CertificateRef.pathForm((CertificateRef.Name) target));
    }

    private JsonNode json(String method, String path, JsonNode body) {
        byte[] reply = send(method, path, body, "application/json");
        try {
            return reply.length == 0 ? mapper.createObjectNode() : mapper.readTree(reply);
        } catch (IOException e) {
            throw new CliException(ExitCode.UNREACHABLE, "RA at " + base + " sent invalid JSON for " + method + " " + path);
        }
    }

    /** A GET whose answer is a JSON array of strings. */
    private List<String> texts(String path) {
        List<String> out = new ArrayList<>();
        json("GET", path, null).forEach(n -> out.add(n.asText()));
        return out;
    }

    private byte[] send(String method, String path, JsonNode body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", accept);
        try {
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response.body();
            }
            String message = errorMessage(response.body());
            String what = "RA " + (status >= 502 && status <= 504 ? "could not serve " : "refused ") + method + " "
                    + path.replaceFirst("\\?.*", "") + " (HTTP " + status + ")" + (message.isEmpty() ? "" : ": " + message);
            throw new CliException(status >= 502 && status <= 504 ? ExitCode.UNREACHABLE : ExitCode.REFUSED, what);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new CliException(ExitCode.UNREACHABLE, "RA at " + base + " is unreachable: "
                    + (e instanceof ConnectException ? "connection refused" : "no connection within " + timeout.toMillis() + " ms"));
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCode.UNREACHABLE, "RA at " + base + " did not answer " + method + " " + path
                    + " within " + timeout.toMillis() + " ms");
        } catch (SSLException e) {
            throw new CliException(ExitCode.UNREACHABLE, "TLS with the RA at " + base + " failed: " + rootMessage(e)
                    + " (is --cacert the CA that issued the RA's certificate?)");
        } catch (IOException e) {
            throw new CliException(ExitCode.UNREACHABLE, "RA at " + base + " is unreachable: " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNREACHABLE, "interrupted while waiting for the RA");
        }
    }

    private String errorMessage(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node == null ? "" : node.path("message").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private <T> T read(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCode.UNREACHABLE, "RA at " + base + " sent an unexpected " + type.getSimpleName());
        }
    }

    private static void appendQuery(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append('&').append(name).append('=').append(query(value));
        }
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Percent-encoding for one path segment ({@link URLEncoder} writes spaces as '+', which a path keeps literally). */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
