package dev.modelguardian.core.remediation;

import java.util.List;

/**
 * A training target as configured: what retrains it, the models it trains, and what happens after training.
 *
 * @param name     the target's name (state key, metric tag)
 * @param trainer  what starts its training (a CronJob, a WorkflowTemplate, ...)
 * @param models   the models it trains; a firing policy on any of them starts this target's remediation
 * @param recovery validation, promotion, verification and rollback of what the training produced
 */
public record TargetSpec(String name, Trainer trainer, List<String> models, RecoverySpec recovery) {

    public TargetSpec {
        models = List.copyOf(models);
    }

    /** A target trained by the CronJob {@code cronJob}. */
    public TargetSpec(String name, String cronJob, List<String> models, RecoverySpec recovery) {
        this(name, Trainer.cronJob(cronJob), models, recovery);
    }

    /** A target trained by the CronJob {@code cronJob}, with no registry step, no flags and no restart. */
    public TargetSpec(String name, String cronJob, List<String> models) {
        this(name, Trainer.cronJob(cronJob), models, RecoverySpec.NONE);
    }
}
