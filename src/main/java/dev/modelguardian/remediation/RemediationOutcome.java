package dev.modelguardian.remediation;

import java.util.Locale;

/**
 * How a remediation ended, as the {@code outcome} tag of {@code guardian_remediations_total}: a small fixed set, so
 * the metric stays low-cardinality. The retraining outcomes are counted when the Job stage ends; {@link #PROMOTED} and
 * {@link #ROLLED_BACK} when the registry step ends the same remediation later, so a remediation that reaches
 * validation is counted once with {@link #SUCCEEDED} and once more with its final outcome.
 */
public enum RemediationOutcome {

    /** The training Job completed; the remediation is handed over to validation (RETRAINING to VALIDATING). */
    SUCCEEDED,

    /** The training Job failed (backoff limit, deadline exceeded). */
    FAILED,

    /** A pod of the training Job could not make progress (image pull, unschedulable). */
    STUCK,

    /** The training Job ran past the configured timeout. */
    TIMED_OUT,

    /** The training Job vanished before it finished: the outcome is unknown. */
    UNKNOWN,

    /** Dry run: the Job that would have been created was recorded, nothing ran. */
    DRY_RUN,

    /** Validation or verification failed and the previous versions were restored. */
    ROLLED_BACK,

    /** The candidates were promoted and the live signals held healthy for the verification window. */
    PROMOTED;

    /** The tag value: the constant's name in lower case ({@code timed_out}). */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
