package dev.modelguardian.integrations.kubernetes;

/**
 * The labels and annotation the guardian puts on every training run it starts, whatever the trigger (a Job, a
 * Workflow): the remediation id a restart finds the run by, the target, and what fired.
 */
public final class TrainingLabels {

    /** Label that ties a run to the remediation that started it; a restart finds the run by it. */
    public static final String REMEDIATION_ID = "model-guardian.dev/remediation-id";
    /** Label naming the training target. */
    public static final String TARGET = "model-guardian.dev/target";
    /** Annotation with what fired (or who asked). */
    public static final String TRIGGER = "model-guardian.dev/trigger";
    /** The longest trigger annotation kept: what fired is a summary, not a log. */
    private static final int MAX_ANNOTATION = 1024;

    private TrainingLabels() {
    }

    /** {@code why} cut to the length the trigger annotation keeps. */
    public static String annotation(String why) {
        return why.length() > MAX_ANNOTATION ? why.substring(0, MAX_ANNOTATION) : why;
    }
}
