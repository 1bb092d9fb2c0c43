package io.upki.cli.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.caclient.CaClientException;
import io.upki.pki.caclient.CertificateAuthorityClient;
import io.upki.pki.caclient.CertificateId;
import io.upki.pki.caclient.RevocationRequest;
import io.upki.pki.caclient.SignRequest;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.wire.CaErrorCode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.x509.RevocationReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The CA's own protocol: JSON tasks over ZeroMQ with the shared {@link CaClient}. Before the first task
 * it opens (and closes) one plain TCP connection, because a ZeroMQ socket waits silently for a peer that
 * does not exist: the probe turns "nothing listens on that port" into an immediate, precise error
 * instead of a timeout.
 */
public final class ZmqAuthority implements Authority {
    private final CaClient client;
    private final java.util.List<String> endpoints;
    private final Duration probeTimeout;
    private final CertificateAuthorityClient typed;
    private boolean probed;

    /**
     * @param client connected to {@code tcp://host:port}; closed with this object
     * @param mapper unused: the typed client reads result records, ignoring unknown keys (uPKI's CA differs)
     */
    public ZmqAuthority(CaClient client, String host, int port, Duration probeTimeout, ObjectMapper mapper) {
        this(client, java.util.List.of("tcp://" + host + ":" + port), probeTimeout, mapper);
    }

    /**
     * @param endpoints the {@code tcp://host:port} endpoints {@code client} tries (an active/standby pair)
     */
    public ZmqAuthority(CaClient client, java.util.List<String> endpoints, Duration probeTimeout, ObjectMapper mapper) {
        this.client = client;
        this.endpoints = java.util.List.copyOf(endpoints);
        this.probeTimeout = probeTimeout;
        this.typed = new TypedCaClient(client);
    }

    @Override
    public String endpoint() {
        return String.join(",", endpoints);
    }

    /**
     * The issuing CA's certificate followed by its chain up to the root ({@code get_ca_chain}), what a
     * client under an offline root needs in {@code ca.crt}; a uPKI CA, which has no such task, answers
     * {@code get_ca}'s single certificate instead.
     */
    @Override
    public String caCertificate() {
        // upki's CA answers the chain a client needs (the issuing CA, then up to the root); uPKI's CA has no
        // get_ca_chain ([700] Unknown task) and gives its own certificate only.
        return call(CaTask.GET_CA_CHAIN, c -> {
            try {
                return c.caChain();
            } catch (CaClientException e) {
                if (e.kind() == CaClientException.Kind.REJECTED && e.code() == CaErrorCode.COMMUNICATION) {
                    return c.caCertificate();
                }
                throw e;
            }
        });
    }

    @Override
    public byte[] crl() {
        return call(CaTask.GET_CRL, CertificateAuthorityClient::currentCrl).der();
    }

    @Override
    public byte[] generateCrl() {
        return call(CaTask.GENERATE_CRL, CertificateAuthorityClient::generateCrl).der();
    }

    @Override
    public List<String> profileNames() {
        return call(CaTask.LIST_PROFILES, CertificateAuthorityClient::profileNames);
    }

    @Override
    public ProfileDocument profile(String name) {
        return call(CaTask.GET_PROFILE, c -> c.profile(name));
    }

    @Override
    public SignedCertificate sign(String csrPem, String profile) {
        return call(CaTask.SIGN, c -> c.sign(new SignRequest(csrPem, profile)));
    }

    @Override
    public SignedCertificate renew(CertificateRef target, Integer durationDays) {
        return call(CaTask.RENEW, c -> c.renew(id(target), durationDays));
    }

    @Override
    public void revoke(CertificateRef target, RevocationReason reason) {
        call(CaTask.REVOKE, c -> {
            c.revoke(new RevocationRequest(id(target), reason.wireName()));
            return null;
        });
    }

    @Override
    public CertificateView view(CertificateRef target) {
        return call(CaTask.VIEW, c -> c.view(id(target)));
    }

    /** The CA filters and pages ({@code list_nodes} with a filter): offset and limit count matching certificates. */
    @Override
    public List<NodeRecord> list(NodeFilter filter, int offset, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        NodeQuery query;
        try {
            query = new NodeQuery(null, filter.cn(), filter.profile(), filter.state(), null, offset,
                    Math.min(limit, NodeQuery.MAX_LIMIT));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        return call(CaTask.LIST_NODES, c -> c.nodes(query)).items();
    }

    @Override
    public List<String> admins() {
        return call(CaTask.LIST_ADMINS, CertificateAuthorityClient::admins);
    }

    @Override
    public void addAdmin(String dn) {
        call(CaTask.ADD_ADMIN, c -> {
            c.addAdmin(dn);
            return null;
        });
    }

    @Override
    public void removeAdmin(String dn) {
        call(CaTask.REMOVE_ADMIN, c -> {
            c.removeAdmin(dn);
            return null;
        });
    }

    @Override
    public void close() {
        client.close();
    }

    private static CertificateId id(CertificateRef target) {
        return target instanceof CertificateRef.Serial s ? CertificateId.serial(s.serial())
                : CertificateId.dn(((CertificateRef.Name) target).dn());
    }

    /** Any typed task, with the CA's refusals and silences mapped to the CLI's exit codes (the one place). */
    public <T> T call(CaTask name, Function<CertificateAuthorityClient, T> task) {
        probe();
        try {
            return task.apply(typed);
        } catch (CaClientException e) {
            throw switch (e.kind()) {
                case REJECTED -> new CliException(ExitCode.REFUSED, "CA refused " + name.wireName() + ": " + e.getMessage());
                case UNAVAILABLE -> new CliException(ExitCode.UNREACHABLE, e.getMessage());
                case PROTOCOL -> new CliException(ExitCode.UNREACHABLE, "CA at " + endpoint() + ": " + e.getMessage()
                        + " (is this a upki CA?)");
            };
        }
    }

    private void probe() {
        if (probed) {
            return;
        }
        java.util.List<String> whys = new java.util.ArrayList<>();
        for (String target : endpoints) {
            java.net.URI uri = java.net.URI.create(target);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()),
                        (int) Math.max(1, probeTimeout.toMillis()));
                probed = true; // one CA of a pair listening is enough: the client fails over to it
                return;
            } catch (IOException e) {
                whys.add(e instanceof java.net.ConnectException ? "connection refused"
                        : e instanceof java.net.SocketTimeoutException ? "no answer within " + probeTimeout.toMillis() + " ms"
                        : e instanceof java.net.UnknownHostException ? "unknown host" : e.getMessage());
            }
        }
        throw new CliException(ExitCode.UNREACHABLE, "CA at " + endpoint() + " is unreachable: " + String.join("; ", whys));
    }
}
