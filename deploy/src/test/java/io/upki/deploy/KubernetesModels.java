package io.upki.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;

/**
 * Core Kubernetes objects parsed strictly into fabric8's model of the Kubernetes API: every field must
 * exist where it is written and hold a value of its type. fabric8's classes collect unknown fields in
 * an "additionalProperties" map ({@code @JsonAnySetter}) and would accept anything; that catch-all is
 * switched off here so that FAIL_ON_UNKNOWN_PROPERTIES applies, as the API server's strict field
 * validation does.
 */
final class KubernetesModels {
    /** apiVersion and kind of every core object the manifests may use, and its model class. */
    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class));

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .registerModule(new SimpleModule("no-any-setter").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                        BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    builder.setIgnoreUnknownProperties(false);
                    return builder;
                }
            }));

    private KubernetesModels() {
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            path.append(r.getFieldName() != null ? "/" + r.getFieldName() : "/" + r.getIndex());
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    /** The problem with a core object, or an empty list when it parses strictly. */
    static List<String> validate(JsonNode o) {
        String type = o.path("apiVersion").asText() + "/" + o.path("kind").asText();
        Class<?> model = TYPES.get(type);
        if (model == null) {
            return List.of(KubeManifests.id(o) + ": " + type + " is not a kind these manifests are checked for"
                    + " (add its fabric8 model to KubernetesModels)");
        }
        try {
            STRICT.treeToValue(o, model);
            return List.of();
        } catch (JsonMappingException e) {
            // The reason without Jackson's list of known fields, then where: the chain of fields.
            String reason = e.getOriginalMessage().lines().findFirst().orElse("").replaceAll(" \\(\\d+ known properties:.*", "");
            return List.of(KubeManifests.id(o) + ": " + reason + " at " + path(e));
        } catch (JsonProcessingException e) {
            return List.of(KubeManifests.id(o) + ": " + e.getOriginalMessage());
        }
    }
}
