package dev.modelguardian.core.remediation;

import java.util.Objects;

/**
 * What a training target retrains with, named the way people and the cluster name it: the trigger kind that starts its
 * training, the object the training is started from, and what one training run is called. Messages, Events and
 * notifications say "Workflow ml-retrain-1 created from WorkflowTemplate ml-retrain", never "Job" for a Workflow.
 *
 * @param trigger the trigger kind that starts the runs, e.g. {@code cronjob} or {@code argo-workflow}; the remediation
 *                engine hands a target to the trigger of this kind
 * @param kind    the kind of the object runs are started from, e.g. {@code CronJob} or {@code WorkflowTemplate}
 * @param name    that object's name
 * @param runKind       what one training run is, e.g. {@code Job} or {@code Workflow}
 * @param apiVersion    the API version of {@code kind}, for references to it (Events), e.g. {@code batch/v1}
 * @param runApiVersion the API version of {@code runKind}
 */
public record Trainer(String trigger, String kind, String name, String runKind, String apiVersion,
        String runApiVersion) {

    /** The trigger kind of {@link #cronJob(String)}. */
    public static final String CRONJOB = "cronjob";

    public Trainer {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(runKind, "runKind");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(runApiVersion, "runApiVersion");
    }

    /** Runs and what they start from in the same API version (a Job from a CronJob, a Workflow from a template). */
    public Trainer(String trigger, String kind, String name, String runKind, String apiVersion) {
        this(trigger, kind, name, runKind, apiVersion, apiVersion);
    }

    /** Training as Neural Hive runs it: a Job made from the CronJob {@code name}. */
    public static Trainer cronJob(String name) {
        return new Trainer(CRONJOB, "CronJob", name, "Job", "batch/v1");
    }

    /** The CronJob's name when the runs are Jobs made from a CronJob, else empty. */
    public java.util.Optional<String> cronJob() {
        return trigger.equals(CRONJOB) ? java.util.Optional.of(name) : java.util.Optional.empty();
    }

    /** The object runs are started from, as a message says it: {@code CronJob ml-retrain}. */
    public String source() {
        return kind + " " + name;
    }

    /** One run, as a message says it: {@code Job ml-retrain-emergency-1700000000}. */
    public String run(String runName) {
        return runKind + " " + runName;
    }
}
