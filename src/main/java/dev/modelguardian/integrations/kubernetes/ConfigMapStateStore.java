package dev.modelguardian.integrations.kubernetes;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

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
 * The guardian's state in ConfigMaps, one per target so that the state grows with the number of targets without
 * meeting Kubernetes' 1 MiB limit on one object:
 * <ul>
 * <li>the state ConfigMap ({@code guardian.state.config-map}, default {@code model-guardian-state}) holds every
 * policy's status under key {@value #POLICIES};</li>
 * <li>each target's record, with its history, is in its own ConfigMap {@code <state ConfigMap>-<target>} (see
 * {@link #shardName}) under key {@code target.<name>.json}.</li>
 * </ul>
 * Every one carries the label {@value #STATE_LABEL} naming the state ConfigMap, so the whole state is one list
 * request. A record written by a guardian before the split (key {@code target.<name>.json} in the state ConfigMap
 * itself) is read as it is, and moved to the target's ConfigMap at its next write; the target's ConfigMap wins when
 * both hold one.
 *
 * <p>Every write is a replace on the resourceVersion it read (a create for a new ConfigMap); a 409 means someone wrote
 * in between, and the write is re-done on a fresh read (for a target, only if its revision is still the one the
 * caller decided on).
 */
public final class ConfigMapStateStore implements StateStore {

    static final String POLICIES = "policies.json";
    static final String TARGET_PREFIX = "target.";
    static final String TARGET_SUFFIX = ".json";
    /** On every ConfigMap of one state; its value is the state ConfigMap's name (see {@link #labelValue}). */
    public static final String STATE_LABEL = "model-guardian.dev/state";
    private static final int MAX_ATTEMPTS = 8;
    /**
     * The most one ConfigMap of the state may hold, keys and values in UTF-8: Kubernetes refuses a ConfigMap over
     * 1 MiB (1,048,576 bytes, the whole object), and this keeps 64 KiB of it for the metadata and a write that grows it.
     */
    static final int MAX_STATE_BYTES = 1_048_576 - 65_536;
    private static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
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

    /** {@code ConfigMap namespace/name} of the state ConfigMap, for messages. */
    public String describe() {
        return describe(name);
    }

    private String describe(String configMap) {
        return "ConfigMap " + namespace + "/" + configMap;
    }

    /**
     * The ConfigMap that holds {@code target}'s record: {@code <state ConfigMap>-<target>} when that is a valid object
     * name, else the target's name made one (lower case, other characters as {@code -}, shortened) with 8 hex digits
     * of its SHA-256, so that two targets never share one.
     */
    public static String shardName(String stateConfigMap, String target) {
        String plain = stateConfigMap + "-" + target;
        if (plain.length() <= 253 && DNS_1123_SUBDOMAIN.matcher(plain).matches()) {
            return plain;
        }
        String slug = target.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        int room = Math.max(0, 253 - stateConfigMap.length() - 11);
        slug = slug.substring(0, Math.min(slug.length(), room)).replaceAll("^-+|-+$", "");
        return stateConfigMap + "-" + (slug.isEmpty() ? "" : slug + "-") + sha256(target).substring(0, 8);
    }

    /**
     * The value of {@value #STATE_LABEL}: the state ConfigMap's name, or (over the 63 characters a label value may
     * hold) its first 54 characters and 8 hex digits of its SHA-256.
     */
    static String labelValue(String stateConfigMap) {
        if (stateConfigMap.length() <= 63) {
            return stateConfigMap;
        }
        return stateConfigMap.substring(0, 54).replaceAll("[-.]+$", "") + "-" + sha256(stateConfigMap).substring(0, 8);
    }

    @Override
    public GuardianState load() {
        List<ConfigMap> items = list();
        ConfigMap main = items.stream().filter(cm -> name.equals(cm.getMetadata().getName())).findFirst()
                // A state ConfigMap written before the label (or none yet): read by name.
                .orElseGet(() -> get(name, "read"));
        Map<String, PolicyStatus> policies = new LinkedHashMap<>();
        Map<String, TargetRecord> targets = new HashMap<>();
        if (main != null && main.getData() != null) {
            main.getData().forEach((key, value) -> {
                if (key.equals(POLICIES)) {
                    policies.putAll(codec.readPolicies(key, value));
                } else {
                    targetOf(key).ifPresent(target -> targets.put(target, codec.readTarget(key, value)));
                }
            });
        }
        for (ConfigMap shard : items) {
            if (shard == main || shard.getData() == null) {
                continue;
            }
            // A target's own ConfigMap wins over a record left in the state ConfigMap by an earlier version.
            shard.getData().forEach((key, value) -> targetOf(key)
                    .ifPresent(target -> targets.put(target, codec.readTarget(key, value))));
        }
        return new GuardianState(policies, targets);
    }

    /** {@inheritDoc} One read of the target's ConfigMap (and of the state ConfigMap only when it has none yet). */
    @Override
    public TargetRecord target(String target, java.time.Instant now) {
        return stored(target).map(s -> s.record).orElseGet(() -> TargetRecord.initial(now));
    }

    @Override
    public boolean compareAndSet(String target, long expectedRevision, TargetRecord next) {
        String key = key(target);
        String shardName = shardName(name, target);
        Map<String, String> data = Map.of(key, codec.writeTarget(next));
        checkSize(shardName, data, "lower guardian.state.history (each finished remediation is kept in the history)");
        for (int attempt = 1;; attempt++) {
            ConfigMap shard = get(shardName, "read");
            Optional<Stored> stored = stored(target, shard);
            long revision = stored.map(s -> s.record.revision()).orElse(0L);
            if (revision != expectedRevision) {
                LOG.debugf("Target %s changed in %s since revision %d was read (now %d); re-deciding", target,
                        describe(shardName), expectedRevision, revision);
                return false;
            }
            try {
                if (shard == null) {
                    client.configMaps().inNamespace(namespace).resource(labelled(new ConfigMapBuilder()
                            .withNewMetadata().withName(shardName).withNamespace(namespace).endMetadata()
                            .withData(data)).build()).create();
                } else {
                    client.configMaps().inNamespace(namespace).resource(labelled(new ConfigMapBuilder(shard)
                            .withData(data)).build()).update();
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw failure("write", shardName, e);
                }
                LOG.debugf("%s changed while writing (409, attempt %d of %d); re-reading", describe(shardName), attempt,
                        MAX_ATTEMPTS);
                continue;
            }
            if (stored.filter(Stored::legacy).isPresent()) {
                dropLegacy(target, key);
            }
            return true;
        }
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
        }, "split the policies over two guardians with their own guardian.state.config-map (each policy's status is"
                + " kept here)");
    }

    /** A target's stored record, and whether it is still in the state ConfigMap (written before the split). */
    private record Stored(TargetRecord record, boolean legacy) {
    }

    private Optional<Stored> stored(String target) {
        return stored(target, get(shardName(name, target), "read"));
    }

    private Optional<Stored> stored(String target, ConfigMap shard) {
        String key = key(target);
        if (shard != null) {
            if (!labelValue(name).equals(shard.getMetadata().getLabels() == null ? null
                    : shard.getMetadata().getLabels().get(STATE_LABEL))) {
                throw new StoreException("cannot use " + describe(shard.getMetadata().getName()) + " for target "
                        + target + "'s state: it exists without label " + STATE_LABEL + "=" + labelValue(name)
                        + ", so it is not this guardian's; rename or delete it, or set another"
                        + " guardian.state.config-map", null);
            }
            String json = shard.getData() == null ? null : shard.getData().get(key);
            if (json != null) {
                return Optional.of(new Stored(codec.readTarget(key, json), false));
            }
        }
        ConfigMap main = get(name, "read");
        String legacy = main == null || main.getData() == null ? null : main.getData().get(key);
        return legacy == null ? Optional.empty() : Optional.of(new Stored(codec.readTarget(key, legacy), true));
    }

    /**
     * Removes a record that has just been moved to its target's ConfigMap from the state ConfigMap. Best effort: the
     * target's ConfigMap wins when both hold one, so a failure here costs space, not correctness.
     */
    private void dropLegacy(String target, String key) {
        try {
            modify(data -> {
                if (!data.containsKey(key)) {
                    return null;
                }
                Map<String, String> updated = new TreeMap<>(data);
                updated.remove(key);
                return updated;
            }, "");
            LOG.infof("Moved target %s's record from %s to %s", target, describe(), describe(shardName(name, target)));
        } catch (StoreException e) {
            LOG.warnf("Target %s's record is now in %s, but its old copy in %s was not removed (%s); it is ignored and"
                    + " removed at the next write", target, describe(shardName(name, target)), describe(),
                    e.getMessage());
        }
    }

    /**
     * Read, change, replace on the read resourceVersion; on 409 start over. {@code change} returns null to write
     * nothing.
     */
    private void modify(UnaryOperator<Map<String, String>> change, String fixWhenFull) {
        for (int attempt = 1;; attempt++) {
            ConfigMap current = get(name, "read");
            Map<String, String> data = current == null || current.getData() == null ? Map.of() : current.getData();
            Map<String, String> updated = change.apply(data);
            if (updated == null) {
                return;
            }
            checkSize(name, updated, fixWhenFull);
            try {
                if (current == null) {
                    client.configMaps().inNamespace(namespace).resource(labelled(new ConfigMapBuilder()
                            .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                            .withData(updated)).build()).create();
                } else {
                    client.configMaps().inNamespace(namespace).resource(labelled(new ConfigMapBuilder(current)
                            .withData(updated)).build()).update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw failure("write", name, e);
                }
                LOG.debugf("%s changed while writing (409, attempt %d of %d); re-reading", describe(), attempt,
                        MAX_ATTEMPTS);
            }
        }
    }

    private ConfigMapBuilder labelled(ConfigMapBuilder builder) {
        return builder.editMetadata()
                .addToLabels("app.kubernetes.io/managed-by", "model-guardian")
                .addToLabels("app.kubernetes.io/name", "model-guardian")
                .addToLabels(STATE_LABEL, labelValue(name))
                .endMetadata();
    }

    /**
     * Refuses, before the API server would, a ConfigMap of the state that no longer fits: nothing is written, and the
     * message names the largest key and the setting that makes it smaller. Never truncated silently.
     *
     * @throws StoreException when {@code data} is over {@link #MAX_STATE_BYTES}
     */
    void checkSize(String configMap, Map<String, String> data, String fix) {
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
            throw new StoreException("cannot write " + describe(configMap) + ": it would hold " + total / 1024
                    + " KiB, over the " + MAX_STATE_BYTES / 1024 + " KiB the guardian keeps below Kubernetes' 1 MiB"
                    + " ConfigMap limit (largest key " + largest + ", " + largestBytes / 1024 + " KiB, of "
                    + data.size() + " keys); " + fix + "; nothing was written", null);
        }
    }

    private List<ConfigMap> list() {
        try {
            return client.configMaps().inNamespace(namespace).withLabel(STATE_LABEL, labelValue(name)).list()
                    .getItems();
        } catch (KubernetesClientException e) {
            throw failure("read", name, e);
        }
    }

    private ConfigMap get(String configMap, String verb) {
        try {
            return client.configMaps().inNamespace(namespace).withName(configMap).get();
        } catch (KubernetesClientException e) {
            throw failure(verb, configMap, e);
        }
    }

    private static String key(String target) {
        return TARGET_PREFIX + target + TARGET_SUFFIX;
    }

    private static Optional<String> targetOf(String key) {
        return key.startsWith(TARGET_PREFIX) && key.endsWith(TARGET_SUFFIX)
                ? Optional.of(key.substring(TARGET_PREFIX.length(), key.length() - TARGET_SUFFIX.length()))
                : Optional.empty();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private StoreException failure(String verb, String configMap, KubernetesClientException e) {
        int code = e.getCode() <= 0 ? 0 : e.getCode();
        String status = "HTTP " + e.getCode() + ": " + (e.getStatus() != null ? e.getStatus().getMessage()
                : e.getMessage());
        String why = switch (code) {
            case HttpURLConnection.HTTP_FORBIDDEN -> "forbidden (403): grant the guardian's ServiceAccount list, get,"
                    + " create and update on configmaps in namespace " + namespace + " (the Role in"
                    + " src/main/kubernetes/base/role.yaml; `model-guardian doctor` checks each)";
            // Only a write is retried on 409; a read that got one was tried once.
            case HttpURLConnection.HTTP_CONFLICT -> verb.equals("write") ? "still conflicting (409) after "
                    + MAX_ATTEMPTS + " attempts" : status;
            case 0 -> "the Kubernetes API did not answer (" + ApiFailures.rootCause(e) + ")";
            default -> status;
        };
        return new StoreException("cannot " + verb + " state " + describe(configMap) + ": " + why, e);
    }
}
