package dev.modelguardian.integrations.kubernetes;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;

/**
 * The guardian's state in a ConfigMap (default {@code model-guardian-state}): key {@value #POLICIES} holds every
 * policy's status, key {@code target.<name>.json} one target's record. Every write is a replace on the
 * resourceVersion it read; a 409 means someone wrote in between, and the write is re-done on a fresh read (for a
 * target, only if its revision is still the one the caller decided on).
 */
public final class ConfigMapStateStore implements StateStore {

    static final String POLICIES = "policies.json";
    static final String TARGET_PREFIX = "target.";
    static final String TARGET_SUFFIX = ".json";
    private static final int MAX_ATTEMPTS = 8;
    /**
     * The most the state may hold, keys and values in UTF-8: Kubernetes refuses a ConfigMap over 1 MiB (1,048,576
     * bytes, the whole object), and this keeps 64 KiB of it for the metadata and a write that grows it.
     */
    static final int MAX_STATE_BYTES = 1_048_576 - 65_536;
    private static final Logger LOG = Logger.getLogger(ConfigMapStateStore.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final StateCodec codec = new StateCodec();

    public ConfigMapStateStore(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** {@code namespace/name} of the ConfigMap, for messages. */
    public String describe() {
        return "ConfigMap " + namespace + "/" + name;
    }

    @Override
    public GuardianState load() {
        return decode(get());
    }

    /** {@inheritDoc} One read of the ConfigMap, and only this target's key decoded. */
    @Override
    public TargetRecord target(String target, java.time.Instant now) {
        ConfigMap configMap = get();
        String key = TARGET_PREFIX + target + TARGET_SUFFIX;
        String stored = configMap == null || configMap.getData() == null ? null : configMap.getData().get(key);
        return stored == null ? TargetRecord.initial(now) : codec.readTarget(key, stored);
    }

    @Override
    public boolean compareAndSet(String target, long expectedRevision, TargetRecord next) {
        String key = TARGET_PREFIX + target + TARGET_SUFFIX;
        String json = codec.writeTarget(next);
        boolean[] stale = { false };
        modify(data -> {
            String stored = data.get(key);
            long revision = stored == null ? 0 : codec.readTarget(key, stored).revision();
            if (revision != expectedRevision) {
                stale[0] = true;
                return null;
            }
            Map<String, String> updated = new TreeMap<>(data);
            updated.put(key, json);
            return updated;
        });
        if (stale[0]) {
            LOG.debugf("Target %s changed in %s since revision %d was read; re-deciding", target, describe(),
                    expectedRevision);
        }
        return !stale[0];
    }

    @Override
    public void savePolicies(Map<String, PolicyStatus> statuses) {
        modify(data -> {
            Map<String, PolicyStatus> merged = new TreeMap<>(
                    data.containsKey(POLICIES) ? codec.readPolicies(POLICIES, data.get(POLICIES)) : Map.of());
            merged.putAll(statuses);
            Map<String, String> updated = new TreeMap<>(data);
            updated.put(POLICIES, codec.writePolicies(merged));
            return updated;
        });
    }

    /**
     * Read, change, replace on the read resourceVersion; on 409 start over. {@code change} returns null to write
     * nothing.
     */
    private void modify(UnaryOperator<Map<String, String>> change) {
        for (int attempt = 1;; attempt++) {
            ConfigMap current = get();
            Map<String, String> data = current == null || current.getData() == null ? Map.of() : current.getData();
            Map<String, String> updated = change.apply(data);
            if (updated == null) {
                return;
            }
            checkSize(updated);
            try {
                if (current == null) {
                    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                            .withNewMetadata().withName(name).withNamespace(namespace)
                            .addToLabels("app.kubernetes.io/managed-by", "model-guardian")
                            .addToLabels("app.kubernetes.io/name", "model-guardian")
                            .endMetadata()
                            .withData(updated).build()).create();
                } else {
                    ConfigMap replacement = new ConfigMapBuilder(current).withData(updated).build();
                    client.configMaps().inNamespace(namespace).resource(replacement).update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw failure("write", e);
                }
                LOG.debugf("%s changed while writing (409, attempt %d of %d); re-reading", describe(), attempt,
                        MAX_ATTEMPTS);
            }
        }
    }

    /**
     * Refuses, before the API server would, a state that no longer fits: nothing is written, and the message names
     * the largest key and the settings that make it smaller. Never truncated silently.
     *
     * @throws StoreException when {@code data} is over {@link #MAX_STATE_BYTES}
     */
    void checkSize(Map<String, String> data) {
        long total = 0;
        String largest = null;
        long largestBytes = -1;
        for (Map.Entry<String, String> e : data.entrySet()) {
            long bytes = e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            total += bytes;
            if (bytes > largestBytes) {
                largest = e.getKey();
                largestBytes = bytes;
            }
        }
        if (total > MAX_STATE_BYTES) {
            throw new StoreException("cannot write " + describe() + ": the state would be " + total / 1024
                    + " KiB, over the " + MAX_STATE_BYTES / 1024 + " KiB the guardian keeps below Kubernetes' 1 MiB"
                    + " ConfigMap limit (largest key " + largest + ", " + largestBytes / 1024 + " KiB, of "
                    + data.size() + " keys); lower guardian.state.history, or split the targets over two guardians"
                    + " with their own guardian.state.config-map; nothing was written", null);
        }
    }

    private ConfigMap get() {
        try {
            return client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw failure("read", e);
        }
    }

    private GuardianState decode(ConfigMap configMap) {
        if (configMap == null || configMap.getData() == null) {
            return GuardianState.empty();
        }
        Map<String, PolicyStatus> policies = new LinkedHashMap<>();
        Map<String, TargetRecord> targets = new HashMap<>();
        configMap.getData().forEach((key, value) -> {
            if (key.equals(POLICIES)) {
                policies.putAll(codec.readPolicies(key, value));
            } else if (key.startsWith(TARGET_PREFIX) && key.endsWith(TARGET_SUFFIX)) {
                String target = key.substring(TARGET_PREFIX.length(), key.length() - TARGET_SUFFIX.length());
                targets.put(target, codec.readTarget(key, value));
            }
        });
        return new GuardianState(policies, targets);
    }

        private StoreException failure(String verb, KubernetesClientException e) {
        int code = e.getCode() <= 0 ? 0 : e.getCode();
        String status = "HTTP " + e.getCode() + ": " + (e.getStatus() != null ? e.getStatus().getMessage()
                : e.getMessage());
        String why = switch (code) {
            case HttpURLConnection.HTTP_FORBIDDEN -> "forbidden (403): grant the guardian's ServiceAccount get, create"
                    + " and update on configmaps in namespace " + namespace;
            // Only a write is retried on 409; a read that got one was tried once.
            case HttpURLConnection.HTTP_CONFLICT -> verb.equals("write") ? "still conflicting (409) after "
                    + MAX_ATTEMPTS + " attempts" : status;
            case 0 -> "the Kubernetes API did not answer (" + ApiFailures.rootCause(e) + ")";
            default -> status;
        };
        return new StoreException("cannot " + verb + " state " + describe() + ": " + why, e);
    }
}
