package dev.modelguardian.remediation;

import java.util.List;

/**
 * A training target as configured: one CronJob and the models it trains.
 *
 * @param name    the target's name (state key, metric tag)
 * @param cronJob the training CronJob
 * @param models  the models it trains; a firing policy on any of them starts this target's remediation
 */
public record TargetSpec(String name, String cronJob, List<String> models) {

    public TargetSpec {
        models = List.copyOf(models);
    }
}
