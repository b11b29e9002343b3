package dev.modelguardian.config.extension;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.TargetRules;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * A training trigger kind, whole: the validation of each target's trigger settings
 * ({@code guardian.targets.<target>.trigger.*}), what a target of this kind is trained by, the {@code doctor} checks
 * of what the targets start their training with, the API permissions it needs, and the {@code TrainingTrigger} the
 * remediation engine starts, observes and finds training runs through. One implementation per integration folder,
 * registered in the application's one list of extensions; a target chooses one by {@code trigger.kind}.
 */
public interface TriggerProvider extends TargetRules {

    /**
     * What the target {@code name} of this kind is trained by, from its settings (validated before).
     *
     * @param name     the target's name, as under {@code guardian.targets}
     * @param target   the target's keys in the guardian's tree; its {@code trigger.kind} is this provider's
     * @param settings the whole configuration, where this kind's own keys of the target are
     */
    Trainer trainer(String name, GuardianConfig.Target target, Settings settings);

    /**
     * What a target of this kind is trained by when it starts its runs from the object {@code from} with no other
     * setting: how a replay scenario's {@code world.training} says "trained by this WorkflowTemplate".
     */
    Trainer trainedFrom(String from);

    /**
     * The checks of {@code doctor} for this trigger, one or more per target: that what each target starts its
     * training with exists (else the closest existing name). Read-only; runs only when the Kubernetes API answers.
     *
     * @param targets the configured training targets of this kind
     * @param client  the Kubernetes client {@code doctor} uses
     * @param context what {@code doctor} knows, among it the namespace and the configuration
     */
    List<Check> doctor(List<TargetSpec> targets, KubernetesClient client, DoctorContext context);

    /**
     * Every Kubernetes API permission this trigger uses for {@code targets}: the rows of its Role rules and of
     * {@code doctor}'s access reviews. Empty when {@code targets} is.
     *
     * @param settings the whole configuration: what a target's {@code Trainer} does not name (the {@code http}
     *                 trigger's Secret) is read from its settings there
     * @param targets  the configured training targets of this kind
     */
    List<Permission> permissions(Settings settings, List<TargetSpec> targets);

    /**
     * The trigger the remediation engine starts, observes and finds training runs through for the targets of this
     * kind; asked only when there is one.
     *
     * @param settings  the whole configuration
     * @param targets   the targets of this kind, by name, with their keys in the guardian's tree
     * @param client    the Kubernetes client of the guardian
     * @param namespace the namespace the guardian works in
     * @param clock     the guardian's clock
     */
    TrainingTrigger trigger(Settings settings, Map<String, GuardianConfig.Target> targets,
            KubernetesClient client, String namespace, Clock clock);
}
