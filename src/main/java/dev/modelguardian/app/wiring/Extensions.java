package dev.modelguardian.app.wiring;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigRules;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.TargetRules;
import dev.modelguardian.config.extension.ChannelProvider;
import dev.modelguardian.config.extension.ClusterChecks;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.config.extension.RegistryProvider;
import dev.modelguardian.config.extension.SourceProvider;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.core.remediation.TrainingTriggers;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.ScriptedSignals;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SignalRange;
import dev.modelguardian.integrations.argo.ArgoWorkflowProvider;
import dev.modelguardian.integrations.jobs.CronJobProvider;
import dev.modelguardian.integrations.jobs.JobTemplateProvider;
import dev.modelguardian.integrations.kubernetes.KubernetesChecks;
import dev.modelguardian.integrations.kubernetes.RequiredPermissions;
import dev.modelguardian.integrations.mlflow.MlflowProvider;
import dev.modelguardian.integrations.pagerduty.PagerDutyProvider;
import dev.modelguardian.integrations.pipeline.HttpTriggerProvider;
import dev.modelguardian.integrations.prometheus.PrometheusProvider;
import dev.modelguardian.integrations.prometheus.PrometheusSettings;
import dev.modelguardian.integrations.scrape.ScrapeProvider;
import dev.modelguardian.integrations.slack.SlackProvider;
import dev.modelguardian.integrations.webhook.WebhookProvider;

/**
 * The one registration list of the extensions: every metric source, notification channel, model registry and training
 * trigger the guardian knows. Validation ({@link ConfigValidator}), {@code doctor}, the policies' queries, the policy
 * engine's sources, the {@code Notifier}'s channels and the remediation engine's registry and training trigger all
 * loop over these lists, in this order (which is the order
 * of their problems and checks).
 *
 * <p>Adding a metric source, a channel, a registry or a training trigger is one folder under
 * {@code integrations/} with its provider, plus one line here. Its keys are its own {@code @ConfigMapping} root in
 * that folder ({@link ConfigRules#settingsRoot()}, {@link TargetRules#settingsRoot()}), which Quarkus registers by
 * itself; a training trigger's root maps its keys under every target ({@code guardian.targets.<target>.trigger.<kind>})
 * (docs/architecture.md, "How to add").
 */
public final class Extensions {

    /** The metric sources, in the order their problems and checks are reported; a signal selects one by kind. */
    public static final List<SourceProvider> SOURCES = List.of(new PrometheusProvider(), new ScrapeProvider());

    /** The notification channels, in the order their checks and problems are reported. */
    public static final List<ChannelProvider> CHANNELS = List.of(new SlackProvider(), new PagerDutyProvider(),
            new WebhookProvider());

    /** The model registries; the first one configured is the one the remediation engine uses. */
    public static final List<RegistryProvider> REGISTRIES = List.of(new MlflowProvider());

    /** The training triggers, in the order their problems and checks are reported; a target selects one by kind. */
    public static final List<TriggerProvider> TRIGGERS = List.of(new CronJobProvider(),
            new JobTemplateProvider(), new ArgoWorkflowProvider(), new HttpTriggerProvider());

    /** How each registered source reads, by kind: looked up for every read of every cycle, so built once. */
    private static final Map<String, String> READ_OPERATIONS = SOURCES.stream()
            .collect(Collectors.toUnmodifiableMap(SourceProvider::kind, SourceProvider::readOperation));

    /** The checks of the cluster itself: the namespace, the API server, the guardian's own objects and permissions. */
    public static final ClusterChecks CLUSTER = new KubernetesChecks();

    private Extensions() {
    }

    /**
     * The {@code @ConfigMapping} roots of the registered extensions' own keys, in registration order: what a
     * configuration built outside Quarkus (a test's) registers besides {@link GuardianConfig}.
     */
    public static List<Class<?>> settingsRoots() {
        Stream<Optional<Class<?>>> keyed = Stream.of(SOURCES, CHANNELS, REGISTRIES).flatMap(List::stream)
                .map(ConfigRules::settingsRoot);
        Stream<Optional<Class<?>>> triggers = TRIGGERS.stream().map(TargetRules::settingsRoot);
        return Stream.concat(keyed, triggers).flatMap(Optional::stream).toList();
    }

    /** Every problem of the configuration, the extensions' keys included (see {@link ConfigValidator#validate}). */
    public static List<ConfigProblem> validate(Settings settings, ModelSet set) {
        return ConfigValidator.validate(settings, set, SOURCES, CHANNELS, REGISTRIES, TRIGGERS);
    }

    /** The problems of a command that reads signals now (see {@link ConfigValidator#validateSourcesConfigured}). */
    public static List<ConfigProblem> validateSourcesConfigured(Settings settings, ModelSet set) {
        return ConfigValidator.validateSourcesConfigured(settings, set, SOURCES);
    }

    /** Every registered source, each built from the configuration (one that is not configured answers with errors). */
    public static MetricSources metricSources(Settings settings, ObjectMapper mapper) {
        return MetricSources.of(SOURCES.stream().map(s -> s.source(settings, mapper)).toArray(MetricSource[]::new));
    }

    /** The Prometheus at {@code url}, with guardian.prometheus's credentials, TLS and timeout, to read ranges from. */
    public static SignalRange prometheusAt(URI url, Settings settings, ObjectMapper mapper) {
        return PrometheusProvider.at(url, settings.of(PrometheusSettings.class), mapper);
    }

    /**
     * Every registered source as a replay simulates it, each reading {@code script} (see
     * {@link SourceProvider#scripted}).
     */
    public static MetricSources scripted(ScriptedSignals script) {
        return MetricSources.of(SOURCES.stream().map(s -> s.scripted(script)).toArray(MetricSource[]::new));
    }

    /**
     * The query of a signal, by the source its {@code source} key selects.
     *
     * @throws IllegalArgumentException when no registered source is of that kind (validation reports it first)
     */
    public static SignalQuery query(GuardianConfig.Signal signal) {
        return source(signal.source().toLowerCase(java.util.Locale.ROOT)).query(signal);
    }

    /**
     * How a source of {@code kind} reads, as the external-call metric's {@code operation} tag says it; {@code query}
     * for a kind no provider registers (validation refuses such a signal first; a metric never fails a cycle).
     */
    public static String readOperation(String kind) {
        return READ_OPERATIONS.getOrDefault(kind, "query");
    }

    /**
     * The registered source of {@code kind}.
     *
     * @throws IllegalArgumentException when no registered source is of that kind (validation reports it first)
     */
    private static SourceProvider source(String kind) {
        return SOURCES.stream().filter(s -> s.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric source of kind '" + kind + "'"));
    }

    /** The channels that are on (their URL or key is set), in registration order. */
    public static List<Channel> channels(Settings settings, String namespace) {
        return CHANNELS.stream().flatMap(c -> c.channel(settings, namespace).stream()).toList();
    }

    /**
     * The training trigger of the guardian: each target's calls go to the trigger of its {@code trigger.kind}; a kind
     * no target uses is not built (nor watched).
     *
     * @param targets every training target's settings, by name (from the {@link ModelSet})
     */
    public static TrainingTrigger trigger(Settings settings, Map<String, GuardianConfig.Target> targets,
            KubernetesClient client, String namespace, Clock clock) {
        Map<String, TrainingTrigger> byKind = new TreeMap<>();
        for (TriggerProvider provider : TRIGGERS) {
            Map<String, GuardianConfig.Target> mine = new TreeMap<>();
            targets.forEach((name, target) -> {
                if (target.trigger().kind().equals(provider.kind())) {
                    mine.put(name, target);
                }
            });
            if (!mine.isEmpty()) {
                byKind.put(provider.kind(), provider.trigger(settings, mine, client, namespace, clock));
            }
        }
        return TrainingTriggers.of(byKind);
    }

    /**
     * What the target {@code name} is trained by, from the trigger its {@code trigger.kind} selects.
     *
     * @throws IllegalArgumentException when no registered trigger is of that kind (validation reports it first)
     */
    public static Trainer trainer(String name, GuardianConfig.Target target, Settings settings) {
        return provider(target.trigger().kind()).trainer(name, target, settings);
    }

    /**
     * What a target is trained by when a trigger of {@code kind} starts its runs from {@code from} (a replay
     * scenario's {@code world.training}).
     *
     * @throws IllegalArgumentException when no registered trigger is of that kind
     */
    public static Trainer trainedFrom(String kind, String from) {
        return provider(kind).trainedFrom(from);
    }

    /** The kinds of the registered training triggers, in registration order. */
    public static List<String> triggerKinds() {
        return TRIGGERS.stream().map(TriggerProvider::kind).toList();
    }

    /**
     * Every Kubernetes API permission the guardian uses for these targets: the common ones and, for each trigger kind
     * the targets use, that trigger's.
     */
    public static List<Permission> permissions(Settings settings, List<TargetSpec> targets) {
        List<Permission> all = new ArrayList<>(RequiredPermissions.of(settings.guardian(), targets));
        TRIGGERS.forEach(t -> all.addAll(t.permissions(settings, ofKind(targets, t.kind()))));
        return List.copyOf(all);
    }

    /** The targets trained by a trigger of {@code kind}. */
    public static List<TargetSpec> ofKind(List<TargetSpec> targets, String kind) {
        return targets.stream().filter(t -> t.trainer().trigger().equals(kind)).toList();
    }

    private static TriggerProvider provider(String kind) {
        return TRIGGERS.stream().filter(t -> t.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no training trigger of kind '" + kind + "'"));
    }

    /** The model registry of the first registry configured; empty when none is. */
    public static Optional<ModelRegistry> registry(Settings settings) {
        return REGISTRIES.stream().flatMap(r -> r.registry(settings).stream()).findFirst();
    }
}
