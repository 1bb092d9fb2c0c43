package io.upki.cli.transport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.cli.CliException;
import io.upki.cli.ExitCode;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The CA's own protocol: JSON tasks over ZeroMQ with the shared {@link CaClient}. Before the first task
 * it opens (and closes) one plain TCP connection, because a ZeroMQ socket waits silently for a peer that
 * does not exist: the probe turns "nothing listens on that port" into an immediate, precise error
 * instead of a timeout.
 */
public final class ZmqAuthority implements Authority {
    private final CaClient client;
    private final String host;
    private final int port;
    private final Duration probeTimeout;
    private final ObjectMapper mapper;
    private boolean probed;

    /**
     * @param client connected to {@code tcp://host:port}; closed with this object
     * @param mapper reads result records; unknown keys are ignored (the Python uPKI CA's answers differ)
     */
    public ZmqAuthority(CaClient client, String host, int port, Duration probeTimeout, ObjectMapper mapper) {
        this.client = client;
        this.host = host;
        this.port = port;
        this.probeTimeout = probeTimeout;
        this.mapper = mapper.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    @Override
    public String endpoint() {
        return "tcp://" + host + ":" + port;
    }

    /**
     * The issuing CA's certificate followed by its chain up to the root ({@code get_ca_chain}), what a
     * client under an offline root needs in {@code ca.crt}; a uPKI CA, which has no such task, answers
     * {@code get_ca}'s single certificate instead.
     */
    @Override
    public String caCertificate() {
        try {
            return call(CaTask.GET_CA_CHAIN, CaClient.params()).asText();
        } catch (CliException e) {
            if (e.getMessage() != null && e.getMessage().contains("Unknown task")) {
                return call(CaTask.GET_CA, CaClient.params()).asText();
            }
            throw e;
        }
    }

    @Override
    public byte[] crl() {
        return base64(call(CaTask.GET_CRL, CaClient.params()));
    }

    @Override
    public byte[] generateCrl() {
        return base64(call(CaTask.GENERATE_CRL, CaClient.params()));
    }

    @Override
    public List<String> profileNames() {
        List<String> names = new ArrayList<>();
        call(CaTask.LIST_PROFILES, CaClient.params()).forEach(n -> names.add(n.asText()));
        return names;
    }

    @Override
    public ProfileDocument profile(String name) {
        return read(call(CaTask.GET_PROFILE, CaClient.params().put("profile", name)), ProfileDocument.class);
    }

    @Override
    public SignedCertificate sign(String csrPem, String profile) {
        return read(call(CaTask.SIGN, CaClient.params().put("csr", csrPem).put("profile", profile)),
                SignedCertificate.class);
    }

    @Override
    public SignedCertificate renew(CertificateRef target, Integer durationDays) {
        ObjectNode params = target(target);
        if (durationDays != null) {
            params.put("duration", durationDays);
        }
        return read(call(CaTask.RENEW, params), SignedCertificate.class);
    }

    @Override
    public void revoke(CertificateRef target, RevocationReason reason) {
        call(CaTask.REVOKE, target(target).put("reason", reason.wireName()));
    }

    @Override
    public CertificateView view(CertificateRef target) {
        return read(call(CaTask.VIEW, target(target)), CertificateView.class);
    }

    @Override
    public List<NodeRecord> list(NodeFilter filter, int offset, int limit) {
        // list_nodes pages by position only, so the filter is applied here, with the RA's semantics:
        // offset and limit count matching certificates.
        List<NodeRecord> out = new ArrayList<>();
        int skipped = 0;
        for (JsonNode n : call(CaTask.LIST_NODES, CaClient.params())) {
            NodeRecord node = read(n, NodeRecord.class);
            if (!filter.matches(node) || skipped++ < offset) {
                continue;
            }
            if (out.size() >= limit) {
                break;
            }
            out.add(node);
        }
        return out;
    }

    @Override
    public List<String> admins() {
        List<String> admins = new ArrayList<>();
        call(CaTask.LIST_ADMINS, CaClient.params()).forEach(n -> admins.add(n.asText()));
        return admins;
    }

    @Override
    public void addAdmin(String dn) {
        call(CaTask.ADD_ADMIN, CaClient.params().put("dn", dn));
    }

    @Override
    public void removeAdmin(String dn) {
        call(CaTask.REMOVE_ADMIN, CaClient.params().put("dn", dn));
    }

    @Override
    public void close() {
        client.close();
    }

    private static ObjectNode target(CertificateRef target) {
        ObjectNode params = CaClient.params();
        if (target instanceof CertificateRef.Serial s) {
            params.put("serial", s.serial());
        } else {
            params.put("dn", ((CertificateRef.Name) target).dn());
        }
        return params;
    }

    /** Any task, with the CA's refusals and silences mapped to the CLI's exit codes. */
    public JsonNode task(CaTask task, ObjectNode params) {
        return call(task, params);
    }

    private JsonNode call(CaTask task, ObjectNode params) {
        probe();
        try {
            return client.call(task, params);
        } catch (CaClientException e) {
            throw switch (e.kind()) {
                case REJECTED -> new CliException(ExitCode.REFUSED, "CA refused " + task.wireName() + ": " + e.getMessage());
                case UNAVAILABLE -> new CliException(ExitCode.UNREACHABLE, e.getMessage());
                case PROTOCOL -> new CliException(ExitCode.UNREACHABLE, e.getMessage() + " (is this a upki CA?)");
            };
        }
    }

    private void probe() {
        if (probed) {
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, probeTimeout.toMillis()));
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused"
                    : e instanceof java.net.SocketTimeoutException ? "no answer within " + probeTimeout.toMillis() + " ms"
                    : e instanceof java.net.UnknownHostException ? "unknown host" : e.getMessage();
            throw new CliException(ExitCode.UNREACHABLE, "CA at " + endpoint() + " is unreachable: " + why);
        }
        probed = true;
    }

    private <T> T read(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCode.UNREACHABLE, "CA at " + endpoint() + " sent an unexpected "
                    + type.getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private byte[] base64(JsonNode node) {
        try {
            return Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.UNREACHABLE, "CA at " + endpoint() + " sent a CRL that is not base64");
        }
    }
}
