package dev.modelguardian.app.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.ChannelProvider;
import dev.modelguardian.config.extension.ClusterChecks;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.RegistryProvider;
import dev.modelguardian.config.extension.SourceProvider;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.signal.MetricSources;

/**
 * The checks of {@code doctor}: everything the configuration refers to, each with what was found and how to fix it.
 * Read-only: it never creates, changes or deletes anything (a SelfSubjectAccessReview is a question, not an object).
 */
final class Doctor {

    private final Settings settings;
    private final GuardianConfig config;
    private final ModelSet models;
    private final Namespace.Resolved namespace;
    private final Supplier<KubernetesClient> clients;
    private final Supplier<MetricSources> sources;
    private final ClusterChecks cluster;
    private final Instant now;
    private final List<SourceProvider> sourceProviders;
    private final List<ChannelProvider> channels;
    private final List<RegistryProvider> registries;
    private final List<TriggerProvider> triggers;
    private final Predicate<String> explicitlySet;
    private final List<Check> checks = new ArrayList<>();

    /**
     * @param cluster       the checks of the cluster's namespace, API server, objects and permissions
     * @param sourceProviders the metric sources, each checking the signals that read it (only when the
     *                      configuration is valid)
     * @param channels      the notification channels, each checked by its provider
     * @param registries    the model registries, each checked by its provider (only when the configuration is valid)
     * @param triggers      the training triggers, each checking the targets' settings and, when the API answers,
     *                      what they start their training with
     * @param explicitlySet whether a configuration property has a value of its own rather than its default
     */
    Doctor(Settings settings, ModelSet models, Namespace.Resolved namespace, Supplier<KubernetesClient> clients,
            Supplier<MetricSources> sources, ClusterChecks cluster, List<SourceProvider> sourceProviders,
            List<ChannelProvider> channels, List<RegistryProvider> registries, List<TriggerProvider> triggers,
            Predicate<String> explicitlySet, Instant now) {
        this.settings = settings;
        this.config = settings.guardian();
        this.models = models;
        this.namespace = namespace;
        this.clients = clients;
        this.sources = sources;
        this.cluster = cluster;
        this.sourceProviders = List.copyOf(sourceProviders);
        this.channels = List.copyOf(channels);
        this.registries = List.copyOf(registries);
        this.triggers = List.copyOf(triggers);
        this.explicitlySet = explicitlySet;
        this.now = now;
    }

    /**
     * The checks as {@code doctor} and {@code serve} run them: the cluster checks, sources, channels, registries and
     * triggers of {@link Extensions},
     * "explicitly set" judged on the running application's configuration.
     */
    static Doctor of(Settings settings, ModelSet models, Supplier<KubernetesClient> clients,
            Supplier<MetricSources> sources, Instant now) {
        org.eclipse.microprofile.config.Config raw = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        return new Doctor(settings, models, Namespace.resolveWithSource(settings.guardian()), clients, sources,
                Extensions.CLUSTER, Extensions.SOURCES, Extensions.CHANNELS, Extensions.REGISTRIES, Extensions.TRIGGERS,
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
                Optional.of(settings));
        cluster(context);
        if (configValid) {
            signals();
            registries.forEach(registry -> checks.addAll(registry.doctor(settings, context)));
        }
        checks.addAll(notifications(settings, context, channels));
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
    static List<Check> notifications(Settings settings, DoctorContext context, List<ChannelProvider> channels) {
        List<Check> found = new ArrayList<>();
        found.add(Check.ok("notify/events", "Kubernetes Events (events.k8s.io/v1) in " + context.namespace()
                + ": always on, one per remediation step"));
        channels.forEach(channel -> found.addAll(channel.doctor(settings, context)));
        return List.copyOf(found);
    }

    private String ns() {
        return namespace.name();
    }

    /** The configuration validates; every problem is a FAIL of its own, and the signals are then not queried. */
    private boolean configuration() {
        List<ConfigProblem> problems = new ArrayList<>(ConfigValidator.validate(settings, models,
                sourceProviders, channels, registries, triggers));
        ConfigValidator.validateSourcesConfigured(settings, models, sourceProviders).stream()
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
        checks.add(cluster.namespace(ns(), namespace.source()));
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
        Check reachable = cluster.reachable(client, ns());
        checks.add(reachable);
        if (reachable.status() == Check.Status.FAIL) {
            return;
        }
        List<TargetSpec> targets = KubeBeans.targets(models);
        triggers.forEach(trigger -> {
            List<TargetSpec> mine = Extensions.ofKind(targets, trigger.kind());
            if (!mine.isEmpty()) {
                checks.addAll(trigger.doctor(mine, client, context));
            }
        });
        checks.addAll(cluster.doctor(config, client, ns(), targets, Extensions.permissions(settings, targets)));
    }

    // ---------------------------------------------------------------- signals

    /** Each source's checks, in registration order, for the signals that read it; one read cycle per source. */
    private void signals() {
        List<Policy> policies = Policies.from(models);
        MetricSources metricSources = sources.get();
        for (SourceProvider source : sourceProviders) {
            List<Policy> reading = policies.stream().filter(p -> p.query().kind().equals(source.kind())).toList();
            if (!reading.isEmpty()) {
                checks.addAll(source.doctor(settings, reading, metricSources.open(source.kind(), now)));
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
