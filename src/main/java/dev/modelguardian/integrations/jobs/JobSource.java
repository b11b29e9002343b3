package dev.modelguardian.integrations.jobs;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.TargetSpec;

/**
 * Where a trigger's training Jobs come from: how the Job of a run is made, and which unfinished Jobs train a target
 * (to adopt one instead of starting another). A CronJob ({@link CronJobSource}) or a Job template kept in a ConfigMap
 * ({@link TemplateSource}); {@link TrainingJobs} adds the guardian's labels, creates, observes and watches.
 */
interface JobSource {

    /**
     * The Job to create as run {@code jobName} of {@code target}, before the guardian's labels and annotation.
     *
     * @throws ClusterException when what it is made from cannot be read, permanent when it is missing or unusable
     */
    Job job(TargetSpec target, String jobName);

    /** Whether {@code job}, not finished, is a training run of {@code target}. */
    boolean trains(TargetSpec target, Job job);
}
