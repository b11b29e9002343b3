package dev.modelguardian.app.wiring;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.extension.ChannelProvider;
import dev.modelguardian.config.extension.RegistryProvider;
import dev.modelguardian.config.extension.SourceProvider;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.integrations.cronjob.CronJobProvider;
import dev.modelguardian.integrations.mlflow.MlflowProvider;
import dev.modelguardian.integrations.pagerduty.PagerDutyProvider;
import dev.modelguardian.integrations.prometheus.PrometheusProvider;
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
 * {@code integrations/} with its provider, plus one line here. Its keys need a second line: the accessor of its
 * settings in {@link GuardianConfig} (under {@link GuardianConfig.Notify} for a channel), since SmallRye Config maps
 * the tree from those interfaces and a provider cannot add a branch to it. A metric source also needs its
 * {@code SignalQuery} record in the core (docs/architecture.md, "A metric source").
 */
public final class Extensions {

    /** The metric sources, in the order their problems and checks are reported; a signal selects one by kind. */
    public static final List<SourceProvider> SOURCES = List.of(new PrometheusProvider(), new ScrapeProvider());

    /** The notification channels, in the order their checks and problems are reported. */
    public static final List<ChannelProvider> CHANNELS = List.of(new SlackProvider(), new PagerDutyProvider(),
            new WebhookProvider());

    /** The model registries; the first one configured is the one the remediation engine uses. */
    public static final List<RegistryProvider> REGISTRIES = List.of(new MlflowProvider());

    /** The training triggers, in the order their problems and checks are reported. */
    public static final List<TriggerProvider> TRIGGERS = List.of(new CronJobProvider());

    private Extensions() {
    }

    /** Every problem of the configuration, the extensions' keys included (see {@link ConfigValidator#validate}). */
    public static List<ConfigProblem> validate(GuardianConfig config, ModelSet set) {
        return ConfigValidator.validate(config, set, SOURCES, CHANNELS, REGISTRIES, TRIGGERS);
    }

    /** The problems of a command that reads signals now (see {@link ConfigValidator#validateSourcesConfigured}). */
    public static List<ConfigProblem> validateSourcesConfigured(GuardianConfig config, ModelSet set) {
        return ConfigValidator.validateSourcesConfigured(config, set, SOURCES);
    }

    /** Every registered source, each built from the configuration (one that is not configured answers with errors). */
    public static MetricSources metricSources(GuardianConfig config, ObjectMapper mapper) {
        return MetricSources.of(SOURCES.stream().map(s -> s.source(config, mapper)).toArray(MetricSource[]::new));
    }

    /**
     * The query of a signal, by the source its {@code source} key selects.
     *
     * @throws IllegalArgumentException when no registered source is of that kind (validation reports it first)
     */
    public static SignalQuery query(GuardianConfig.Signal signal) {
        String kind = signal.source().toLowerCase(java.util.Locale.ROOT);
        return SOURCES.stream().filter(s -> s.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric source of kind '" + kind + "'"))
                .query(signal);
    }

    /** The channels that are on (their URL or key is set), in registration order. */
    public static List<Channel> channels(GuardianConfig.Notify notify, String namespace) {
        return CHANNELS.stream().flatMap(c -> c.channel(notify, namespace).stream()).toList();
    }

    /**
     * The training trigger of the first trigger configured.
     *
     * @throws IllegalStateException when none is
     */
    public static TrainingTrigger trigger(GuardianConfig config, KubernetesClient client, String namespace,
            Clock clock) {
        return TRIGGERS.stream().flatMap(t -> t.trigger(config, client, namespace, clock).stream()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no training trigger is configured"));
    }

    /** The model registry of the first registry configured; empty when none is. */
    public static Optional<ModelRegistry> registry(GuardianConfig config) {
        return REGISTRIES.stream().flatMap(r -> r.registry(config).stream()).findFirst();
    }
}
