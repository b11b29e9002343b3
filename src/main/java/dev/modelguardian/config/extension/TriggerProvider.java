package dev.modelguardian.config.extension;

import java.time.Clock;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.TargetRules;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * A training trigger, whole: the validation of each target's trigger settings ({@code guardian.targets.<target>.*})
 * and its {@code doctor} checks of what the targets start their training with. One implementation per integration
 * folder, registered in the application's one list of extensions; the {@code TrainingTrigger} it adapts is the one
 * the remediation engine starts, observes and finds training runs through.
 */
public interface TriggerProvider extends TargetRules {

    /** The trigger's name, e.g. {@code cronjob}. */
    String name();

    /**
     * The checks of {@code doctor} for this trigger, one or more per target: that what each target starts its
     * training with exists (else the closest existing name). Read-only; runs only when the Kubernetes API answers.
     *
     * @param targets the configured training targets
     * @param client  the Kubernetes client {@code doctor} uses
     * @param context what {@code doctor} knows besides the configuration, among it the namespace
     */
    List<Check> doctor(List<TargetSpec> targets, KubernetesClient client, DoctorContext context);

    /**
     * The trigger the remediation engine starts, observes and finds training runs through, when this trigger is
     * configured, else empty.
     *
     * @param config    the whole configuration tree
     * @param client    the Kubernetes client of the guardian
     * @param namespace the namespace the guardian works in
     * @param clock     the guardian's clock
     */
    java.util.Optional<TrainingTrigger> trigger(GuardianConfig config, KubernetesClient client, String namespace,
            Clock clock);
}
