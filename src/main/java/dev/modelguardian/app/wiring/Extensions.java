package dev.modelguardian.app.wiring;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.extension.ChannelProvider;
import dev.modelguardian.config.extension.RegistryProvider;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.cronjob.CronJobProvider;
import dev.modelguardian.integrations.mlflow.MlflowProvider;
import dev.modelguardian.integrations.pagerduty.PagerDutyProvider;
import dev.modelguardian.integrations.slack.SlackProvider;
import dev.modelguardian.integrations.webhook.WebhookProvider;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The one registration list of the extensions: every notification channel, model registry and training trigger the
 * guardian knows. Validation ({@link ConfigValidator}), {@code doctor}, the {@code Notifier}'s channels and the
 * remediation engine's registry and training trigger all loop over these lists, in this order (which is the order
 * of their problems and checks).
 *
 * <p>Adding a channel, a registry or a training trigger is one folder under {@code integrations/} with its provider,
 * plus one line here.
 * Its keys need a second line: the accessor of its settings in {@link GuardianConfig} (under
 * {@link GuardianConfig.Notify} for a channel), since SmallRye Config maps the tree from those interfaces and a
 * provider cannot add a branch to it.
 */
public final class Extensions {

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
        return ConfigValidator.validate(config, set, CHANNELS, REGISTRIES, TRIGGERS);
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
