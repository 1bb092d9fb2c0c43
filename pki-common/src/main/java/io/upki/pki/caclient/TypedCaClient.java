package io.upki.pki.caclient;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.CertificatePage;
import io.upki.pki.wire.CertificateStatus;
import io.upki.pki.wire.CertificateView;
import io.upki.pki.wire.IssuedCertificate;
import io.upki.pki.wire.NodeQuery;
import io.upki.pki.wire.NodeRecord;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.wire.RaRegistration;
import io.upki.pki.wire.SignedCertificate;
import io.upki.pki.wire.SubjectAltName;
import io.upki.pki.wire.WireCodec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@link CertificateAuthorityClient} over a {@link CaClient} transport: builds each task's params and
 * reads its DATA into the answer type. Answers may carry keys it does not know (uPKI's CA differs), which
 * are ignored; an answer of the wrong shape is a PROTOCOL failure.
 */
public final class TypedCaClient implements CertificateAuthorityClient {
    private final CaClient transport;
    private final ObjectMapper mapper;

    public TypedCaClient(CaClient transport) {
        this.transport = transport;
        this.mapper = new WireCodec().mapper().copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** The transport underneath, for tasks this interface does not type. */
    public CaClient transport() {
        return transport;
    }

    @Override
    public String caCertificate() {
        return text(call(CaTask.GET_CA, params()), CaTask.GET_CA);
    }

    @Override
    public String caChain() {
        return text(call(CaTask.GET_CA_CHAIN, params()), CaTask.GET_CA_CHAIN);
    }

    @Override
    public CrlBytes currentCrl() {
        return crl(CaTask.GET_CRL);
    }

    /** {@code get_crls}: every live issuing-key generation's current CRL, oldest generation first. */
    public List<GenerationCrl> generationCrls() {
        List<GenerationCrl> out = new ArrayList<>();
        for (JsonNode n : array(CaTask.GET_CRLS, call(CaTask.GET_CRLS, params()))) {
            if (!n.path("generation").canConvertToInt() || !n.path("crl").isTextual()) {
                throw unexpected(CaTask.GET_CRLS, "an entry without generation and crl");
            }
            try {
                out.add(new GenerationCrl(n.get("generation").asInt(), Base64.getDecoder().decode(n.get("crl").asText())));
            } catch (IllegalArgumentException e) {
                throw unexpected(CaTask.GET_CRLS, "a CRL that is not base64");
            }
        }
        return out;
    }

    @Override
    public CrlBytes generateCrl() {
        return crl(CaTask.GENERATE_CRL);
    }

    @Override
    public DeltaCrlBytes generateDeltaCrl() {
        return deltaCrl(CaTask.GENERATE_DELTA_CRL);
    }

    @Override
    public DeltaCrlBytes currentDeltaCrl() {
        return deltaCrl(CaTask.GET_DELTA_CRL);
    }

    private DeltaCrlBytes deltaCrl(CaTask task) {
        JsonNode data = call(task, params());
        if (!data.path("number").isIntegralNumber()) {
            throw unexpected(task, "an answer without a CRL number");
        }
        if (!data.has("delta")) {
            return new DeltaCrlBytes(data.get("number").bigIntegerValue(), null, null);
        }
        if (!data.path("base").isIntegralNumber() || !data.get("delta").isTextual()) {
            throw unexpected(task, "a delta CRL without its base number");
        }
        try {
            return new DeltaCrlBytes(data.get("number").bigIntegerValue(), data.get("base").bigIntegerValue(),
                    Base64.getDecoder().decode(data.get("delta").asText()));
        } catch (IllegalArgumentException e) {
            throw unexpected(task, "a delta CRL that is not base64");
        }
    }

    @Override
    public List<String> profileNames() {
        return strings(CaTask.LIST_PROFILES, call(CaTask.LIST_PROFILES, params()));
    }

    @Override
    public ProfileDocument profile(String name) {
        return read(CaTask.GET_PROFILE, call(CaTask.GET_PROFILE, params().put("profile", name)), ProfileDocument.class);
    }

    @Override
    public List<String> admins() {
        List<String> admins = new ArrayList<>();
        for (JsonNode n : array(CaTask.LIST_ADMINS, call(CaTask.LIST_ADMINS, params()))) {
            admins.add(n.isTextual() ? n.asText() : n.path("dn").asText());
        }
        return admins;
    }

    @Override
    public void addAdmin(String dn) {
        call(CaTask.ADD_ADMIN, params().put("dn", dn));
    }

    @Override
    public void removeAdmin(String dn) {
        call(CaTask.REMOVE_ADMIN, params().put("dn", dn));
    }

    @Override
    public SignedCertificate sign(SignRequest request) {
        ObjectNode p = params().put("csr", request.csrPem());
        if (request.profile() != null) {
            p.put("profile", request.profile());
        }
        if (request.cn() != null) {
            p.put("cn", request.cn());
        }
        return read(CaTask.SIGN, call(CaTask.SIGN, p), SignedCertificate.class);
    }

    @Override
    public IssuedCertificate generate(String cn, String profile, List<SubjectAltName> sans) {
        ObjectNode p = params().put("cn", cn);
        if (profile != null) {
            p.put("profile", profile);
        }
        p.set("sans", sans(sans));
        return read(CaTask.GENERATE, call(CaTask.GENERATE, p), IssuedCertificate.class);
    }

    @Override
    public SignedCertificate renew(CertificateId target, Integer durationDays) {
        ObjectNode p = target(target);
        if (durationDays != null) {
            p.put("duration", durationDays);
        }
        return read(CaTask.RENEW, call(CaTask.RENEW, p), SignedCertificate.class);
    }

    @Override
    public SignedCertificate renewWithCsr(CertificateId target, String csrPem) {
        return read(CaTask.RENEW_CSR, call(CaTask.RENEW_CSR, target(target).put("csr", csrPem)), SignedCertificate.class);
    }

    @Override
    public void revoke(RevocationRequest request) {
        call(CaTask.REVOKE, target(request.target()).put("reason", request.reason()));
    }

    @Override
    public void unrevoke(CertificateId target) {
        call(CaTask.UNREVOKE, target(target));
    }

    @Override
    public CertificateView view(CertificateId target) {
        return read(CaTask.VIEW, call(CaTask.VIEW, target(target)), CertificateView.class);
    }

    @Override
    public CertificateStatus status(BigInteger serial) {
        ObjectNode p = params();
        p.put("serial", serial);
        return read(CaTask.OCSP_CHECK, call(CaTask.OCSP_CHECK, p), CertificateStatus.class);
    }

    @Override
    public List<NodeRecord> nodes() {
        return List.of(read(CaTask.LIST_NODES, call(CaTask.LIST_NODES, params()), NodeRecord[].class));
    }

    @Override
    public CertificatePage nodes(NodeQuery query) {
        ObjectNode p = params().put("offset", query.offset()).put("limit", query.limit());
        ObjectNode filter = p.putObject("filter");
        putIfSet(filter, "q", query.text());
        putIfSet(filter, "cn", query.cn());
        putIfSet(filter, "profile", query.profile());
        putIfSet(filter, "state", query.state());
        if (query.expiringBefore() != null) {
            filter.put("expiring_before", query.expiringBefore().toString());
        }
        return read(CaTask.LIST_NODES, call(CaTask.LIST_NODES, p), CertificatePage.class);
    }

    @Override
    public RaRegistration register(String seed, String cn, String profile, List<SubjectAltName> sans) {
        ObjectNode p = params().put("seed", seed).put("cn", cn).put("profile", profile);
        p.set("sans", sans(sans));
        return read(CaTask.REGISTER, call(CaTask.REGISTER, p), RaRegistration.class);
    }

    @Override
    public ClientKey enrol(String seed, String name) {
        return read(CaTask.ENROL, call(CaTask.ENROL, params().put("seed", seed).put("name", name)), ClientKey.class);
    }

    @Override
    public List<ClientKey> clients() {
        return List.of(read(CaTask.LIST_CLIENTS, call(CaTask.LIST_CLIENTS, params()), ClientKey[].class));
    }

    @Override
    public ClientKey addClient(String publicKey, String name, String role) {
        return read(CaTask.ADD_CLIENT, call(CaTask.ADD_CLIENT,
                params().put("public_key", publicKey).put("name", name).put("role", role)), ClientKey.class);
    }

    @Override
    public void removeClient(String publicKey) {
        call(CaTask.REMOVE_CLIENT, params().put("public_key", publicKey));
    }

    private JsonNode call(CaTask task, ObjectNode params) {
        return transport.call(task, params);
    }

    private static ObjectNode params() {
        return CaClient.params();
    }

    /** {@code serial} and/or {@code dn}, as the target names it. */
    private static ObjectNode target(CertificateId target) {
        ObjectNode p = params();
        if (target.serial() != null) {
            p.put("serial", target.serial());
        }
        if (target.dn() != null) {
            p.put("dn", target.dn());
        }
        return p;
    }

    private ArrayNode sans(List<SubjectAltName> sans) {
        ArrayNode list = mapper.createArrayNode();
        for (SubjectAltName san : sans == null ? List.<SubjectAltName>of() : sans) {
            list.addObject().put("type", san.type()).put("value", san.value());
        }
        return list;
    }

    private static void putIfSet(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private CrlBytes crl(CaTask task) {
        try {
            return new CrlBytes(Base64.getDecoder().decode(text(call(task, params()), task)));
        } catch (IllegalArgumentException e) {
            throw unexpected(task, "a CRL that is not base64");
        }
    }

    private static String text(JsonNode data, CaTask task) {
        if (!data.isTextual()) {
            throw unexpected(task, "a " + data.getNodeType().name().toLowerCase() + " where text was expected");
        }
        return data.asText();
    }

    private static JsonNode array(CaTask task, JsonNode data) {
        if (!data.isArray()) {
            throw unexpected(task, "a " + data.getNodeType().name().toLowerCase() + " where a list was expected");
        }
        return data;
    }

    private static List<String> strings(CaTask task, JsonNode data) {
        List<String> out = new ArrayList<>();
        array(task, data).forEach(n -> out.add(n.asText()));
        return out;
    }

    private <T> T read(CaTask task, JsonNode data, Class<T> type) {
        try {
            T value = mapper.treeToValue(data, type);
            if (value == null) {
                throw unexpected(task, "null where " + type.getSimpleName() + " was expected");
            }
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw unexpected(task, "an unexpected " + type.getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static CaClientException unexpected(CaTask task, String what) {
        return new CaClientException(CaClientException.Kind.PROTOCOL, null,
                "the CA answered " + task.wireName() + " with " + what);
    }
}
