package dev.modelguardian.integrations.kubernetes;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.ModelServer;

/**
 * The model server in the cluster: the flag ConfigMap the app reads with {@code envFrom} at start, and the Deployment
 * restarted as {@code kubectl rollout restart} does. Both writes are edits of the object read (a patch computed from
 * it), so nothing else in the objects changes.
 */
public final class ModelServerResources implements ModelServer {

    /** Annotation on the flag ConfigMap: the values before the guardian changed them, as JSON. */
    public static final String PREVIOUS_VALUES = "model-guardian.dev/previous-values";
    /** Annotation on the flag ConfigMap: the remediation that changed it last. */
    public static final String CHANGED_BY = "model-guardian.dev/changed-by";
    /** The pod-template annotation {@code kubectl rollout restart} sets. */
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    private static final Logger LOG = Logger.getLogger(ModelServerResources.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;

    public ModelServerResources(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public Map<String, Optional<String>> read(String configMap, Set<String> keys) {
        ConfigMap cm = call("read ConfigMap " + configMap,
                () -> client.configMaps().inNamespace(namespace).withName(configMap).get());
        if (cm == null) {
            throw new ClusterException("ConfigMap " + namespace + "/" + configMap + " not found; the rollback keys"
                    + " live there: fix the target's rollback.config-map or the namespace", true, null);
        }
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        Map<String, Optional<String>> values = new TreeMap<>();
        keys.forEach(k -> values.put(k, Optional.ofNullable(data.get(k))));
        return values;
    }

    @Override
    public void requireDeployment(String deployment) {
        Deployment d = call("read Deployment " + deployment,
                () -> client.apps().deployments().inNamespace(namespace).withName(deployment).get());
        if (d == null) {
            throw new ClusterException("Deployment " + namespace + "/" + deployment + " not found; it is restarted"
                    + " after a promotion or rollback: fix the target's deployment or set restart: false", true, null);
        }
    }

    @Override
    public void setKeys(String configMap, Map<String, Optional<String>> values, Map<String, Optional<String>> previous,
            String remediationId) {
        read(configMap, values.keySet());
        String noted = previousJson(previous);
        call("patch ConfigMap " + configMap, () -> client.configMaps().inNamespace(namespace).withName(configMap)
                .edit(cm -> {
                    Map<String, String> data = cm.getData() == null ? new HashMap<>() : new HashMap<>(cm.getData());
                    values.forEach((k, v) -> {
                        if (v.isPresent()) {
                            data.put(k, v.get());
                        } else {
                            data.remove(k);
                        }
                    });
                    cm.setData(data);
                    Map<String, String> annotations = cm.getMetadata().getAnnotations() == null ? new HashMap<>()
                            : new HashMap<>(cm.getMetadata().getAnnotations());
                    annotations.put(PREVIOUS_VALUES, noted);
                    annotations.put(CHANGED_BY, remediationId);
                    cm.getMetadata().setAnnotations(annotations);
                    return cm;
                }));
        LOG.infof("ConfigMap %s/%s: set %s (previous %s) for remediation %s", namespace, configMap,
                describe(values), describe(previous), remediationId);
    }

    /** {@code KEY=value, OTHER absent}: keys and their values (or their absence), in key order. */
    static String describe(Map<String, Optional<String>> values) {
        return new TreeMap<>(values).entrySet().stream()
                .map(e -> e.getValue().map(v -> e.getKey() + "=" + v).orElse(e.getKey() + " absent"))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public void restart(String deployment, Instant at) {
        requireDeployment(deployment);
        String value = at.toString();
        call("restart Deployment " + deployment, () -> client.apps().deployments().inNamespace(namespace)
                .withName(deployment).edit(d -> {
                    var template = d.getSpec().getTemplate();
                    if (template.getMetadata() == null) {
                        template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
                    }
                    Map<String, String> annotations = template.getMetadata().getAnnotations() == null
                            ? new HashMap<>() : new HashMap<>(template.getMetadata().getAnnotations());
                    annotations.put(RESTARTED_AT, value);
                    template.getMetadata().setAnnotations(annotations);
                    return d;
                }));
        LOG.infof("Deployment %s/%s: rolling restart (restartedAt %s)", namespace, deployment, value);
    }

    private static String previousJson(Map<String, Optional<String>> previous) {
        Map<String, String> plain = new TreeMap<>();
        previous.forEach((k, v) -> plain.put(k, v.orElse(null)));
        try {
            return JSON.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.of(namespace, what, e);
        }
    }
}
