package dev.modelguardian.app.cli;

import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.config.extension.ChannelProvider;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.config.extension.RegistryProvider;
import dev.modelguardian.config.extension.SourceProvider;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.NeuralHiveDefaults;

/**
 * The checks of {@code doctor}: everything the configuration refers to, each with what was found and how to fix it.
 * Read-only: it never creates, changes or deletes anything (a SelfSubjectAccessReview is a question, not an object).
 */
final class Doctor {

    private final GuardianConfig config;
    private final ModelSet models;
    private final Namespace.Resolved namespace;
    private final Supplier<KubernetesClient> clients;
    private final Supplier<MetricSources> sources;
    private final Instant now;
    private final List<SourceProvider> sourceProviders;
    private final List<ChannelProvider> channels;
    private final List<RegistryProvider> registries;
    private final List<TriggerProvider> triggers;
    private final Predicate<String> explicitlySet;
    private final List<Check> checks = new ArrayList<>();

    /**
     * @param sourceProviders the metric sources, each checking the signals that read it (only when the
     *                      configuration is valid)
     * @param channels      the notification channels, each checked by its provider
     * @param registries    the model registries, each checked by its provider (only when the configuration is valid)
     * @param triggers      the training triggers, each checking the targets' settings and, when the API answers,
     *                      what they start their training with
     * @param explicitlySet whether a configuration property has a value of its own rather than its default
     */
    Doctor(GuardianConfig config, ModelSet models, Namespace.Resolved namespace, Supplier<KubernetesClient> clients,
            Supplier<MetricSources> sources, List<SourceProvider> sourceProviders, List<ChannelProvider> channels,
            List<RegistryProvider> registries,
            List<TriggerProvider> triggers, Predicate<String> explicitlySet, Instant now) {
        this.config = config;
        this.models = models;
        this.namespace = namespace;
        this.clients = clients;
        this.sources = sources;
        this.sourceProviders = List.copyOf(sourceProviders);
        this.channels = List.copyOf(channels);
        this.registries = List.copyOf(registries);
        this.triggers = List.copyOf(triggers);
        this.explicitlySet = explicitlySet;
        this.now = now;
    }

    /**
     * The checks as {@code doctor} and {@code serve} run them: the sources, channels, registries and triggers of
     * {@link Extensions},
     * "explicitly set" judged on the running application's configuration.
     */
    static Doctor of(GuardianConfig config, ModelSet models, Supplier<KubernetesClient> clients,
            Supplier<MetricSources> sources, Instant now) {
        org.eclipse.microprofile.config.Config raw = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        return new Doctor(config, models, Namespace.resolveWithSource(config), clients, sources,
                Extensions.SOURCES, Extensions.CHANNELS, Extensions.REGISTRIES, Extensions.TRIGGERS,
                property -> explicitlySet(raw, property), now);
    }

    /** Whether {@code property} has a value from any configuration source but the defaults (ordinal MIN_VALUE). */
    static boolean explicitlySet(org.eclipse.microprofile.config.Config config, String property) {
        org.eclipse.microprofile.config.ConfigValue value = config.getConfigValue(property);
        return value != null && value.getValue() != null && value.getSourceOrdinal() > Integer.MIN_VALUE;
    }

    DoctorReport run() {
        boolean configValid = configuration();
        namespace();
        // The trained models only when the configuration is valid: the registry checks do not run otherwise.
        DoctorContext context = new DoctorContext(ns(), explicitlySet, configValid ? trained() : Map.of(),
                models.targets());
        cluster(context);
        if (configValid) {
            signals();
            registries.forEach(registry -> checks.addAll(registry.doctor(config, context)));
        }
        checks.addAll(notifications(config, context, channels));
        return DoctorReport.of(namespace.name(), checks);
    }

    /** Every model a training target validates and promotes, with what the registry step reads for it. */
    private Map<String, RecoverySpec.ModelCheck> trained() {
        Map<String, RecoverySpec.ModelCheck> trained = new TreeMap<>();
        for (TargetSpec target : KubeBeans.targets(models, true)) {
            trained.putAll(target.recovery().models());
        }
        return trained;
    }

    /**
     * The notification checks: Kubernetes Events, always on, then each channel's checks (a channel is on when its
     * URL or key is set, as in {@code Notifier}). No detail or fix contains any part of a URL or key.
     */
    static List<Check> notifications(GuardianConfig config, DoctorContext context, List<ChannelProvider> channels) {
        List<Check> found = new ArrayList<>();
        found.add(Check.ok("notify/events", "Kubernetes Events (events.k8s.io/v1) in " + context.namespace()
                + ": always on, one per remediation step"));
        channels.forEach(channel -> found.addAll(channel.doctor(config, context)));
        return List.copyOf(found);
    }

    private String ns() {
        return namespace.name();
    }

    /** The configuration validates; every problem is a FAIL of its own, and the signals are then not queried. */
    private boolean configuration() {
        List<ConfigProblem> problems = new ArrayList<>(ConfigValidator.validate(config, models,
                sourceProviders, channels, registries, triggers));
        ConfigValidator.validateSourcesConfigured(config, models, sourceProviders).stream()
                .filter(p -> !problems.contains(p))
                .forEach(problems::add);
        if (problems.isEmpty()) {
            long signals = models.models().values().stream().mapToLong(m -> m.signals().size()).sum();
            checks.add(Check.ok("config", "valid: " + models.models().size() + " models, " + signals + " signals, "
                    + models.targets().size() + " training targets (models from " + models.origin() + ")"));
            models.untrained().forEach(line -> checks.add(Check.warn("untrained", line,
                    "list the model under guardian.targets.<training CronJob>.models (a configuration that defines"
                            + " guardian.models replaces the bundled targets too), or drop its signals")));
            return true;
        }
        problems.forEach(p -> checks.add(Check.fail("config", p.property() + ": " + p.message(),
                "fix " + p.property() + " in the --config file, its environment variable or -D property")));
        return false;
    }

    private void namespace() {
        if (ns().equals(NeuralHiveDefaults.RUNBOOK_NAMESPACE)) {
            checks.add(Check.warn("namespace", ns() + " (from " + namespace.source() + "): the runbook's namespace;"
                    + " Neural Hive's release is deployed in neural-hive",
                    "set guardian.namespace (GUARDIAN_NAMESPACE) to the namespace the release runs in, or leave it"
                            + " unset so that the pod's own namespace is used"));
        } else {
            checks.add(Check.ok("namespace", ns() + " (from " + namespace.source() + ")"));
        }
    }

    // ---------------------------------------------------------------- Kubernetes

    private void cluster(DoctorContext context) {
        KubernetesClient client;
        try {
            client = clients.get();
        } catch (RuntimeException e) {
            checks.add(Check.fail("kubernetes", "no Kubernetes client: " + rootCause(e),
                    "run in a pod with a ServiceAccount token, or with a kubeconfig"));
            return;
        }
        try {
            // Whether the API server answers at all: a 403 on the list still means it does.
            client.batch().v1().cronjobs().inNamespace(ns()).list();
        } catch (KubernetesClientException e) {
            if (e.getCode() <= 0) {
                checks.add(Check.fail("kubernetes", "the API server at " + client.getMasterUrl() + " did not answer ("
                        + rootCause(e) + "); no cluster check was made",
                        "check the kubeconfig or the pod's network access to the API server"));
                return;
            }
            // 403 on list: reported by the RBAC check; the triggers still read what they need by name
        }
        checks.add(Check.ok("kubernetes", "API server " + client.getMasterUrl() + " answers"));
        List<TargetSpec> targets = KubeBeans.targets(models);
        triggers.forEach(trigger -> {
            List<TargetSpec> mine = Extensions.ofKind(targets, trigger.kind());
            if (!mine.isEmpty()) {
                checks.addAll(trigger.doctor(mine, client, context));
            }
        });
        stateConfigMap(client);
        lease(client);
        flags(client);
        deployments(client);
        rbac(client);
    }

    private void stateConfigMap(KubernetesClient client) {
        String name = config.state().configMap();
        String check = "state/" + name;
        read(check, () -> client.configMaps().inNamespace(ns()).withName(name).get()).ifPresent(found -> {
            if (found.isPresent()) {
                int keys = (found.get().getData() == null ? 0 : found.get().getData().size())
                        + (found.get().getBinaryData() == null ? 0 : found.get().getBinaryData().size());
                checks.add(Check.ok(check, "state ConfigMap " + ns() + "/" + name + " exists (" + keys + " keys)"));
            } else {
                creatable(client, check, "state ConfigMap " + ns() + "/" + name, "configmaps", "");
            }
        });
        // Each target's own state ConfigMap is created at its first remediation: one of that name that is not this
        // state's would only be found then, in the middle of an incident.
        String label = ConfigMapStateStore.labelValue(name);
        for (TargetSpec target : KubeBeans.targets(models, true)) {
            String shard = ConfigMapStateStore.shardName(name, target.name());
            read("state/" + shard, () -> client.configMaps().inNamespace(ns()).withName(shard).get())
                    .flatMap(found -> found)
                    .filter(cm -> cm.getMetadata().getLabels() == null
                            || !label.equals(cm.getMetadata().getLabels().get(ConfigMapStateStore.STATE_LABEL)))
                    .ifPresent(cm -> checks.add(Check.fail("state/" + shard, "ConfigMap " + ns() + "/" + shard
                            + " exists without label " + ConfigMapStateStore.STATE_LABEL + "=" + label + ": target "
                            + target.name() + "'s state cannot be kept there", "rename or delete that ConfigMap, or"
                                    + " set another guardian.state.config-map")));
        }
    }

    private void lease(KubernetesClient client) {
        String name = config.leader().lease();
        String check = "lease/" + name;
        read(check, () -> client.leases().inNamespace(ns()).withName(name).get()).ifPresent(found -> {
            if (found.isPresent()) {
                Lease lease = found.get();
                String holder = lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null
                        || lease.getSpec().getHolderIdentity().isEmpty() ? "nobody"
                                : lease.getSpec().getHolderIdentity();
                checks.add(Check.ok(check, "Lease " + ns() + "/" + name + " exists, held by " + holder));
            } else {
                creatable(client, check, "Lease " + ns() + "/" + name, "leases", "coordination.k8s.io");
            }
        });
    }

    /** An object that is absent now and that the guardian creates on first use: fine if it may create it. */
    private void creatable(KubernetesClient client, String check, String what, String resource, String group) {
        Optional<Boolean> allowed = allowed(client, ns(), group, resource, "create", Optional.empty());
        if (allowed.isEmpty() || allowed.get()) {
            checks.add(Check.ok(check, what + " does not exist yet; the guardian creates it on first use"
                    + (allowed.isEmpty() ? " (could not ask whether it may)" : " and may")));
        } else {
            checks.add(Check.fail(check, what + " does not exist and the guardian may not create it",
                    "grant create on " + resource + (group.isEmpty() ? "" : "." + group) + " (Role model-guardian,"
                            + " src/main/kubernetes/base/role.yaml), or create it"));
        }
    }

    /** Every target's rollback keys in its flag ConfigMap. */
    private void flags(KubernetesClient client) {
        for (var target : dev.modelguardian.app.wiring.KubeBeans.targets(models)) {
            target.recovery().configMap().ifPresent(name -> new java.util.TreeSet<>(target.recovery().keys()
                    .keySet()).forEach(key -> flag(client, name, key)));
        }
    }

    /** Every target's model server Deployment, when it is restarted. */
    private void deployments(KubernetesClient client) {
        dev.modelguardian.app.wiring.KubeBeans.targets(models).stream()
                .flatMap(t -> t.recovery().restartTarget().stream()).distinct().sorted()
                .forEach(name -> deployment(client, name));
    }

    private void flag(KubernetesClient client, String name, String key) {
        String check = "flag/" + name;
        read(check, () -> client.configMaps().inNamespace(ns()).withName(name).get()).ifPresent(found -> {
            if (found.isEmpty()) {
                checks.add(Check.fail(check, "ConfigMap " + ns() + "/" + name + " not found: rollback cannot turn"
                        + " " + key + " off", "deploy the model server's chart in " + ns()
                                + ", or run the guardian in the namespace it is deployed in"));
                return;
            }
            Map<String, String> data = Optional.ofNullable(found.get().getData()).orElse(Map.of());
            String value = data.get(key);
            if (value == null) {
                checks.add(Check.fail(check, "ConfigMap " + ns() + "/" + name + " has no key " + key + " (keys: "
                        + String.join(", ", new TreeMap<>(data).keySet()) + ")",
                        key.equals(NeuralHiveDefaults.FLAG_KEY)
                                ? "set the chart value config.scheduler.enableMlEnhancedScheduling (camelCase: the"
                                        + " runbook's snake_case --set changes nothing), which renders " + key
                                : "add " + key + " to the ConfigMap, or fix the target's rollback.keys"));
            } else if (!value.equals("true") && !value.equals("false")) {
                checks.add(Check.warn(check, key + "=" + value + " in ConfigMap " + ns() + "/" + name
                        + " is neither \"true\" nor \"false\"", "set it to \"true\" or \"false\""));
            } else {
                checks.add(Check.ok(check, key + "=\"" + value + "\" in ConfigMap " + ns() + "/" + name));
            }
        });
    }

    private void deployment(KubernetesClient client, String name) {
        String check = "deployment/" + name;
        read(check, () -> client.apps().deployments().inNamespace(ns()).withName(name).get()).ifPresent(found -> {
            if (found.isPresent()) {
                checks.add(Check.ok(check, "Deployment " + ns() + "/" + name + " exists"));
            } else {
                checks.add(Check.fail(check, "Deployment " + ns() + "/" + name + " not found: the model server cannot"
                        + " be restarted after a rollback", "run the guardian in the namespace of the model server"));
            }
        });
    }

    /** One SelfSubjectAccessReview per permission in the table the Role is written from. */
    private void rbac(KubernetesClient client) {
        List<Permission> needed = Extensions.permissions(config, KubeBeans.targets(models));
        List<Permission> denied = new ArrayList<>();
        for (Permission p : needed) {
            Optional<Boolean> allowed = allowed(client, p.cluster() ? null : ns(), p.group(), p.resource(), p.verb(),
                    p.name());
            if (allowed.isEmpty()) {
                checks.add(Check.warn("rbac", "could not ask the API server (SelfSubjectAccessReview) whether "
                        + p.describe() + " is allowed", "check the API server's authorization.k8s.io/v1 API"));
                return;
            }
            if (!allowed.get()) {
                denied.add(p);
            }
        }
        if (denied.isEmpty()) {
            checks.add(Check.ok("rbac", "all " + needed.size() + " permissions granted in " + ns()));
        }
        for (Permission p : denied.stream().filter(Permission::cluster).toList()) {
            checks.add(Check.fail("rbac", "missing: " + p.describe() + " (cluster-scoped; needed for: " + p.feature()
                    + ")", "bind a ClusterRole with apiGroups: [\"" + p.group() + "\"], resources: [" + p.resource()
                            + "]" + p.name().map(n -> ", resourceNames: [" + n + "]").orElse("") + ", verbs: ["
                            + p.verb() + "] to the guardian's ServiceAccount (src/main/kubernetes/components/"
                            + "argo-cluster-workflow-template has it)"));
        }
        for (Permission p : denied.stream().filter(p -> !p.cluster()).toList()) {
            checks.add(Check.fail("rbac", "missing: " + p.describe() + " in " + ns() + " (needed for: " + p.feature()
                    + ")", "add to Role model-guardian: apiGroups: [\"" + p.group() + "\"], resources: ["
                            + p.resource() + "]" + p.name().map(n -> ", resourceNames: [" + n + "]").orElse("")
                            + ", verbs: [" + p.verb() + "] (src/main/kubernetes/base/role.yaml and the training"
                            + " trigger's component in src/main/kubernetes/components have them all)"));
        }
    }

    /** Whether the guardian may; {@code namespace} null for a cluster-scoped resource. */
    private Optional<Boolean> allowed(KubernetesClient client, String namespace, String group, String resource,
            String verb, Optional<String> name) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
                .withNewResourceAttributes()
                .withNamespace(namespace).withGroup(group).withResource(resource.split("/")[0])
                .withSubresource(resource.contains("/") ? resource.substring(resource.indexOf('/') + 1) : null)
                .withVerb(verb).withName(name.orElse(null))
                .endResourceAttributes().endSpec().build();
        try {
            SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
            if (answer == null || answer.getStatus() == null || answer.getStatus().getAllowed() == null) {
                return Optional.empty();
            }
            return Optional.of(answer.getStatus().getAllowed());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads one object: empty when the read itself failed (reported as a FAIL here), else the object if it exists.
     */
    private <T> Optional<Optional<T>> read(String check, Supplier<T> get) {
        try {
            return Optional.of(Optional.ofNullable(get.get()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                checks.add(Check.fail(check, "forbidden (403): the guardian may not read it",
                        "apply src/main/kubernetes/base (Role model-guardian) and bind it to this ServiceAccount"));
            } else {
                checks.add(Check.fail(check, "cannot read it: " + (e.getCode() > 0 ? "HTTP " + e.getCode() + " "
                        : "") + rootCause(e), "check the API server"));
            }
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- signals

    /** Each source's checks, in registration order, for the signals that read it; one read cycle per source. */
    private void signals() {
        List<Policy> policies = Policies.from(models);
        MetricSources metricSources = sources.get();
        for (SourceProvider source : sourceProviders) {
            List<Policy> reading = policies.stream().filter(p -> p.query().kind().equals(source.kind())).toList();
            if (!reading.isEmpty()) {
                checks.addAll(source.doctor(config, reading, metricSources.open(source.kind(), now)));
            }
        }
    }

    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
