package dev.modelguardian.core.remediation;

import java.util.List;

/**
 * A training target as configured: one CronJob, the models it trains, and what happens after training.
 *
 * @param name     the target's name (state key, metric tag)
 * @param cronJob  the training CronJob
 * @param models   the models it trains; a firing policy on any of them starts this target's remediation
 * @param recovery validation, promotion, verification and rollback of what the Job trained
 */
public record TargetSpec(String name, String cronJob, List<String> models, RecoverySpec recovery) {

    public TargetSpec {
        models = List.copyOf(models);
    }

    /** A target with no registry step, no flags and no restart. */
    public TargetSpec(String name, String cronJob, List<String> models) {
        this(name, cronJob, models, RecoverySpec.NONE);
    }
}
