package dev.modelguardian.integrations.kubernetes;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
 * policy's status under key {@value #POLICIES}, as JSON while that takes at most {@value #PLAIN_POLICIES_BYTES}
 * bytes (about a thousand policies), gzipped under binary key {@value #POLICIES_GZ} beyond (a tenth of the size);</li>
 * <li>each target's record, with its history, is in its own ConfigMap {@code <state ConfigMap>-<target>} (see
 * {@link #shardName}) under key {@code target.<name>.json}.</li>
 * </ul>
 * Every one carries the label {@value #STATE_LABEL} naming the state ConfigMap, so the whole state is one list
 * request. A record written by a guardian before the split (key {@code target.<name>.json} in the state ConfigMap
 * itself) is read as it is, and moved to the target's ConfigMap at the next write of the policy statuses (every cycle
 * that may act) or of the target, whichever comes first; the target's ConfigMap wins when both hold one. A ConfigMap
 * of one of these names that is not this state's (another label, or another target's key) is never written.
 *
 * <p>Every write is a replace on the resourceVersion it read (a create for a new ConfigMap); a 409 means someone wrote
 * in between, and the write is re-done on a fresh read (for a target, only if its revision is still the one the
 * caller decided on).
 *
 * <p>Reads: a target's ConfigMap is decoded once per resourceVersion (a record with its history is up to tens of KiB
 * of JSON, and most do not change from one cycle to the next). While {@link #follow()} is open ({@code serve}), a load
 * reads the targets' ConfigMaps from a {@link StateInformer} and only the state ConfigMap (the policy statuses, written
 * every cycle) from the API; otherwise it lists them all. A followed load shows this process's own writes at once
 * (each kept until the informer shows that revision or a later one, or the ConfigMap deleted, for at most
 * {@link #OWN_WRITES_FOR}); another writer's appear when the watch brings them.
 */
public final class ConfigMapStateStore implements StateStore {

    static final String POLICIES = "policies.json";
    static final String POLICIES_GZ = "policies.json.gz";
    /** Up to this many bytes the policy statuses stay JSON that {@code kubectl get cm -o yaml} shows. */
    static final int PLAIN_POLICIES_BYTES = 256 * 1024;
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
    /**
     * How long a followed load shows this process's own write of a record that the informer does not show yet: a watch
     * event takes milliseconds; past this the informer is trusted (the ConfigMap was deleted by hand, say).
     */
    static final Duration OWN_WRITES_FOR = Duration.ofMinutes(1);
    /** A target name used as it is in its ConfigMap's name: one DNS label (no dots, so no empty or dashed segment). */
    private static final Pattern PLAIN_TARGET = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Logger LOG = Logger.getLogger(ConfigMapStateStore.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final StateCodec codec = new StateCodec();
    /** Each target ConfigMap's records as last decoded, by ConfigMap name, with the resourceVersion decoded. */
    private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();
    /** This process's last write of each target's record, for followed loads until the informer shows it. */
    private final Map<String, OwnWrite> ownWrites = new ConcurrentHashMap<>();
    /** Where followed loads take the targets' ConfigMaps from (empty when it cannot serve); null when not followed. */
    private volatile Supplier<Optional<List<ConfigMap>>> followed;

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
     * The ConfigMap that holds {@code target}'s record: {@code <state ConfigMap>-<target>} when the target's name is
     * one DNS label (lower-case letters, digits and inner {@code -}) and the whole fits in 253 characters, else the
     * target's name made one (lower case, other characters as {@code -}, shortened) with 8 hex digits of its SHA-256.
     * Two names that still meet (a target named like another's hashed form) are found at the write and refused.
     */
    public static String shardName(String stateConfigMap, String target) {
        String plain = stateConfigMap + "-" + target;
        if (plain.length() <= 253 && PLAIN_TARGET.matcher(target).matches()) {
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
    public static String labelValue(String stateConfigMap) {
        if (stateConfigMap.length() <= 63) {
            return stateConfigMap;
        }
        return stateConfigMap.substring(0, 54).replaceAll("[-.]+$", "") + "-" + sha256(stateConfigMap).substring(0, 8);
    }

    @Override
    public GuardianState load() {
        Supplier<Optional<List<ConfigMap>>> following = followed;
        Optional<List<ConfigMap>> cached = following == null ? Optional.empty() : following.get();
        long readStarted = System.nanoTime();
        List<ConfigMap> items = cached.orElseGet(this::list);
        ConfigMap main = cached.isPresent() ? ownMain(get(name, "read"))
                : items.stream().filter(cm -> name.equals(cm.getMetadata().getName())).findFirst()
                        // A state ConfigMap written before the label (or none yet): read by name.
                        .orElseGet(() -> ownMain(get(name, "read")));
        Contents contents = Contents.of(main);
        Map<String, PolicyStatus> policies = new LinkedHashMap<>(policies(contents));
        Map<String, TargetRecord> targets = new HashMap<>();
        contents.data().forEach((key, value) -> targetOf(key)
                .ifPresent(target -> targets.put(target, codec.readTarget(key, value))));
        java.util.Set<String> shards = new java.util.HashSet<>();
        for (ConfigMap shard : items) {
            if (name.equals(shard.getMetadata().getName()) || shard.getData() == null) {
                continue;
            }
            shards.add(shard.getMetadata().getName());
            // A target's own ConfigMap wins over a record left in the state ConfigMap by an earlier version.
            targets.putAll(records(shard));
        }
        decoded.keySet().retainAll(shards);
        withOwnWrites(targets, cached.isPresent() ? OptionalLong.empty() : OptionalLong.of(readStarted),
                following != null);
        return new GuardianState(policies, targets);
    }

    /**
     * The ConfigMap {@code configMap} was seen deleted (by hand, to reset a target, say): a record this process wrote
     * there is no longer shown over the informer's.
     */
    private void deleted(String configMap) {
        ownWrites.keySet().removeIf(target -> shardName(name, target).equals(configMap));
        decoded.remove(configMap);
    }

    /** A record this process wrote, and when ({@link System#nanoTime()}). */
    private record OwnWrite(TargetRecord record, long writtenAt) {
    }

    /**
     * Puts this process's own writes over the records just read that do not show them yet, and forgets each once it
     * is settled: shown by the informer (that revision or a later one), shown by a list of an unfollowed store (a list
     * begun after the write shows it, or its deletion), or older than {@link #OWN_WRITES_FOR} (or when its ConfigMap
     * is seen deleted: {@link #deleted}). A followed store's list (its watch reconnecting, or refused) settles nothing:
     * the informer may come back behind it.
     *
     * @param listedAt when the list read began ({@link System#nanoTime()}); empty when the records are the informer's
     * @param followed whether the store is followed
     */
    private void withOwnWrites(Map<String, TargetRecord> targets, OptionalLong listedAt, boolean followed) {
        long now = System.nanoTime();
        ownWrites.forEach((target, own) -> {
            TargetRecord seen = targets.get(target);
            boolean shown = seen != null && seen.revision() >= own.record().revision()
                    || listedAt.isPresent() && own.writtenAt() - listedAt.getAsLong() < 0;
            if (now - own.writtenAt() > OWN_WRITES_FOR.toNanos() || shown && (listedAt.isEmpty() || !followed)) {
                ownWrites.remove(target, own);
            } else if (!shown) {
                targets.put(target, own.record());
            }
        });
    }

    /**
     * {@inheritDoc} Starts a {@link StateInformer} of this state's ConfigMaps; loads read the targets' ConfigMaps from
     * it while it watches. One at a time: a second is refused while the first is open.
     */
    @Override
    public synchronized Following follow() {
        requireUnfollowed();
        StateInformer started = new StateInformer(client, namespace, labelValue(name), name, this::deleted);
        Following following = followFrom(started::cached);
        return () -> {
            following.close();
            started.close();
        };
    }

    /**
     * Loads take the targets' ConfigMaps from {@code cache} (listing when it is empty) until the returned handle is
     * closed: {@link #follow()}'s informer, or a test's frozen list.
     */
    synchronized Following followFrom(Supplier<Optional<List<ConfigMap>>> cache) {
        requireUnfollowed();
        followed = cache;
        return () -> {
            synchronized (this) {
                if (followed == cache) {
                    followed = null;
                }
            }
        };
    }

    private void requireUnfollowed() {
        if (followed != null) {
            throw new IllegalStateException(describe() + " is already followed");
        }
    }

    /** Whether a load now reads the targets' ConfigMaps from the informer: followed, listed, and watching. */
    boolean readsFromInformer() {
        Supplier<Optional<List<ConfigMap>>> following = followed;
        return following != null && following.get().isPresent();
    }

    /** A target ConfigMap's records, and the resourceVersion they were decoded from. */
    private record Decoded(String resourceVersion, Map<String, TargetRecord> targets) {
    }

    /**
     * The records {@code shard} holds, by target: decoded again only when its resourceVersion differs from the one
     * last decoded (records are immutable, so one decoded copy serves every load).
     */
    private Map<String, TargetRecord> records(ConfigMap shard) {
        String shardName = shard.getMetadata().getName();
        String version = shard.getMetadata().getResourceVersion();
        Decoded last = decoded.get(shardName);
        if (last != null && version != null && version.equals(last.resourceVersion())) {
            return last.targets();
        }
        Map<String, TargetRecord> targets = new HashMap<>();
        Contents.of(shard).data().forEach((key, value) -> targetOf(key)
                .ifPresent(target -> targets.put(target, codec.readTarget(key, value))));
        if (version != null) {
            decoded.put(shardName, new Decoded(version, Map.copyOf(targets)));
        }
        return targets;
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
        checkSize(shardName, new Contents(data, Map.of()), "lower guardian.state.history (each finished remediation"
                + " is kept in the history)");
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
            ownWrites.put(target, new OwnWrite(next, System.nanoTime()));
            if (stored.filter(Stored::legacy).isPresent()) {
                dropLegacy(target, key, stored.get().json());
            }
            return true;
        }
    }

    @Override
    public void savePolicies(Map<String, PolicyStatus> statuses) {
        modify(contents -> {
            Map<String, PolicyStatus> merged = new TreeMap<>(policies(contents));
            merged.putAll(statuses);
            String json = codec.writePolicies(merged);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            Map<String, String> data = new TreeMap<>(contents.data());
            // Records written before the split move to their targets' ConfigMaps, and leave this one in the same write.
            contents.data().forEach((key, value) -> targetOf(key).filter(target -> moved(target, key, value))
                    .ifPresent(target -> data.remove(key)));
            Map<String, String> binary = new TreeMap<>(contents.binaryData());
            if (bytes.length <= PLAIN_POLICIES_BYTES) {
                data.put(POLICIES, json);
                binary.remove(POLICIES_GZ);
            } else {
                binary.put(POLICIES_GZ, Base64.getEncoder().encodeToString(gzip(bytes)));
                data.remove(POLICIES);
            }
            return new Contents(data, binary);
        }, "split the policies over two guardians with their own guardian.state.config-map (each policy's status is"
                + " kept here)");
    }

    /**
     * Whether {@code target}'s ConfigMap holds its record, after writing {@code json} (its record as the state
     * ConfigMap holds it) there when it did not. False when that write met another writer: the next cycle tries again.
     */
    private boolean moved(String target, String key, String json) {
        String shardName = shardName(name, target);
        ConfigMap shard = get(shardName, "read");
        try {
            if (stored(target, shard).filter(s -> !s.legacy()).isPresent()) {
                return true; // moved before (the old copy outlived a crash or a failed removal)
            }
        } catch (StoreException e) {
            // A ConfigMap of that name that is not ours: the record stays where it is (and is read there), and the
            // policy statuses of every target are still saved; the target's next write names the problem.
            LOG.warnf("Target %s's record stays in %s: %s", target, describe(), e.getMessage());
            return false;
        }
        try {
            if (shard == null) {
                client.configMaps().inNamespace(namespace).resource(labelled(new ConfigMapBuilder().withNewMetadata()
                        .withName(shardName).withNamespace(namespace).endMetadata().withData(Map.of(key, json)))
                        .build()).create();
            } else {
                client.configMaps().inNamespace(namespace).resource(labelled(new ConfigMapBuilder(shard)
                        .withData(Map.of(key, json))).build()).update();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw failure("write", shardName, e);
        }
        LOG.infof("Moved target %s's record from %s to %s", target, describe(), describe(shardName));
        return true;
    }

    /** What one ConfigMap holds: text keys, and binary keys base64-encoded as the API carries them. */
    record Contents(Map<String, String> data, Map<String, String> binaryData) {

        static Contents of(ConfigMap configMap) {
            return configMap == null ? new Contents(Map.of(), Map.of())
                    : new Contents(configMap.getData() == null ? Map.of() : configMap.getData(),
                            configMap.getBinaryData() == null ? Map.of() : configMap.getBinaryData());
        }
    }

    /** The policy statuses in the state ConfigMap: gzipped JSON when it holds that, else JSON, else none. */
    private Map<String, PolicyStatus> policies(Contents contents) {
        String gzipped = contents.binaryData().get(POLICIES_GZ);
        if (gzipped != null) {
            return codec.readPolicies(POLICIES_GZ, gunzip(gzipped));
        }
        String json = contents.data().get(POLICIES);
        return json == null ? Map.of() : codec.readPolicies(POLICIES, json);
    }

    private static byte[] gzip(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 8);
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("gzip in memory failed", e);
        }
        return out.toByteArray();
    }

    private String gunzip(String base64) {
        try (java.util.zip.GZIPInputStream zip = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException("state " + describe() + " key '" + POLICIES_GZ + "' is not gzipped JSON ("
                    + e.getMessage() + "); fix or delete the key", e);
        }
    }

    /** A target's stored record, and whether it is still in the state ConfigMap (written before the split). */
    private record Stored(TargetRecord record, boolean legacy, String json) {
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
            Contents.of(shard).data().keySet().stream().filter(k -> !k.equals(key)).flatMap(k -> targetOf(k).stream())
                    .findFirst().ifPresent(other -> {
                        throw new StoreException("cannot use " + describe(shard.getMetadata().getName())
                                + " for target " + target + "'s state: it holds target " + other + "'s, whose name"
                                + " maps to the same ConfigMap; rename one of the two targets", null);
                    });
            String json = shard.getData() == null ? null : shard.getData().get(key);
            if (json != null) {
                return Optional.of(new Stored(records(shard).get(target), false, json));
            }
        }
        String legacy = Contents.of(ownMain(get(name, "read"))).data().get(key);
        return legacy == null ? Optional.empty()
                : Optional.of(new Stored(codec.readTarget(key, legacy), true, legacy));
    }

    /**
     * Removes a record that has just been moved to its target's ConfigMap from the state ConfigMap. Best effort: the
     * target's ConfigMap wins when both hold one, so a failure here costs space, not correctness.
     */
    private void dropLegacy(String target, String key, String moved) {
        try {
            modify(contents -> {
                // Only the copy that was moved: a record changed there since (by an older guardian still running) stays.
                if (!moved.equals(contents.data().get(key))) {
                    return null;
                }
                Map<String, String> data = new TreeMap<>(contents.data());
                data.remove(key);
                return new Contents(data, contents.binaryData());
            }, "");
            LOG.infof("Moved target %s's record from %s to %s", target, describe(), describe(shardName(name, target)));
        } catch (StoreException e) {
            LOG.warnf("Target %s's record is now in %s, but its old copy in %s was not removed (%s); it is ignored and"
                    + " removed at the next write of the policy statuses", target, describe(shardName(name, target)),
                    describe(), e.getMessage());
        }
    }

    /**
     * Read, change, replace on the read resourceVersion; on 409 start over. {@code change} returns null to write
     * nothing.
     */
    private void modify(UnaryOperator<Contents> change, String fixWhenFull) {
        for (int attempt = 1;; attempt++) {
            ConfigMap current = ownMain(get(name, "read"));
            Contents updated = change.apply(Contents.of(current));
            if (updated == null) {
                return;
            }
            checkSize(name, updated, fixWhenFull);
            Map<String, String> binary = updated.binaryData().isEmpty() ? null : updated.binaryData();
            try {
                if (current == null) {
                    client.configMaps().inNamespace(namespace).resource(labelled(new ConfigMapBuilder()
                            .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                            .withData(updated.data()).withBinaryData(binary)).build()).create();
                } else {
                    client.configMaps().inNamespace(namespace).resource(labelled(new ConfigMapBuilder(current)
                            .withData(updated.data()).withBinaryData(binary)).build()).update();
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

    /**
     * {@code main} when it is this state's ConfigMap: labelled for it, or unlabelled (written before the label).
     *
     * @throws StoreException when it carries another state's label: another guardian's, or one of its targets'
     */
    private ConfigMap ownMain(ConfigMap main) {
        String label = main == null || main.getMetadata().getLabels() == null ? null
                : main.getMetadata().getLabels().get(STATE_LABEL);
        if (label != null && !label.equals(labelValue(name))) {
            throw new StoreException("cannot use " + describe() + " as the guardian's state: it is labelled "
                    + STATE_LABEL + "=" + label + ", another state's (a second guardian's target?); set another"
                    + " guardian.state.config-map", null);
        }
        return main;
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
     * @throws StoreException when {@code contents} is over {@link #MAX_STATE_BYTES}
     */
    void checkSize(String configMap, Contents contents, String fix) {
        long total = 0;
        String largest = null;
        long largestBytes = -1;
        Map<String, Long> sizes = new TreeMap<>();
        contents.data().forEach((k, v) -> sizes.put(k, (long) v.getBytes(StandardCharsets.UTF_8).length));
        // Kubernetes counts binary values decoded: three bytes for four base64 characters.
        contents.binaryData().forEach((k, v) -> sizes.put(k, v.length() / 4L * 3));
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            long bytes = e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue();
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
                    + sizes.size() + " keys); " + fix + "; nothing was written", null);
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
            case HttpURLConnection.HTTP_FORBIDDEN -> "forbidden (403): grant the guardian's ServiceAccount list, watch,"
                    + " get, create and update on configmaps in namespace " + namespace + " (the Role in"
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
