package dev.modelguardian.core.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Reason;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.TargetRecord;

/**
 * What people are told about. A milestone is read from the edge a persisted step took ({@link Reason}) alone, never
 * from the decision's type or its message, so rewording a step or a new kind of decision does not change what is
 * notified.
 */
public enum Milestone {
    /** A policy of the target fires (HEALTHY, PENDING or ROLLED_BACK to FIRING). */
    FIRING("a policy fires"),
    /** The retraining Job exists: created from the CronJob, or an already running one adopted. */
    RETRAINING_STARTED("retraining started"),
    /** Every candidate passed validation (VALIDATING to PROMOTING). */
    VALIDATION_PASSED("validation passed"),
    /** A candidate failed validation, or the registry could not be read (VALIDATING to ROLLING_BACK). */
    VALIDATION_FAILED("validation failed"),
    /** The candidates were promoted; live metrics are verified next (PROMOTING to VERIFYING). */
    PROMOTED("promoted"),
    /** A live signal breached during verification (VERIFYING to ROLLING_BACK). */
    VERIFICATION_FAILED("verification failed"),
    /**
     * Training failed, got stuck, timed out or vanished (RETRAINING to ROLLING_BACK), or its Job could not be created
     * at all (the remediation ended {@code not_started}).
     */
    FAILED("training failed"),
    /** The remediation ended rolled back (to ROLLED_BACK). */
    ROLLED_BACK("rolled back"),
    /**
     * A step of a rollback failed (the registry or the API server did not answer) and is retried on every follow-up
     * until it succeeds; told once per rollback. Read from the engine's failed actions, not from a persisted step.
     */
    ROLLBACK_FAILED("rollback step failed"),
    /** The target is healthy again after firing or a remediation (to HEALTHY, not from PENDING). */
    RECOVERED("recovered"),
    /** The target's signals stayed inconclusive longer than {@code guardian.notify.inconclusive-after}. */
    INCONCLUSIVE_TOO_LONG("signals inconclusive too long");

    private final String title;

    Milestone(String title) {
        this.title = title;
    }

    /** The name in configuration and payloads, e.g. {@code rolled-back}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A few words for a headline, e.g. {@code rolled back}. */
    public String title() {
        return title;
    }

    /** The milestone of a configuration name, case-insensitive. */
    public static Optional<Milestone> byConfigName(String name) {
        return Arrays.stream(values()).filter(m -> m.configName().equalsIgnoreCase(name.strip())).findFirst();
    }

    /** Every configuration name, comma-separated, for messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Milestone::configName).toList());
    }

    /** The milestone of one persisted step, if it is one: read from the edge it took, nothing else. */
    public static Optional<Milestone> of(RemediationListener.Step step) {
        return of(step.reason());
    }

    /** The milestone of a step that took the edge {@code reason}, if it is one. */
    public static Optional<Milestone> of(Reason reason) {
        return Optional.ofNullable(switch (reason) {
            case POLICY_FIRING, REQUESTED -> FIRING;
            case POLICY_RECOVERED, RECOVERED_BEFORE_APPROVAL, TRAINING_TRUSTED, VERIFIED -> RECOVERED;
            // The Job exists from here on: created from the trigger, or an already running one adopted.
            case JOB_CREATED, JOB_ADOPTED -> RETRAINING_STARTED;
            case JOB_FAILED, JOB_STUCK, JOB_TIMED_OUT, JOB_VANISHED, TRAINING_FAILED_NOTIFY_ONLY, JOB_NOT_CREATED,
                    NO_SNAPSHOT, PROMOTION_FAILED -> FAILED;
            case VALIDATION_PASSED -> VALIDATION_PASSED;
            case VALIDATION_FAILED, VALIDATION_IMPOSSIBLE -> VALIDATION_FAILED;
            case PROMOTED -> PROMOTED;
            case NEW_BREACH, STILL_BREACHING -> VERIFICATION_FAILED;
            case ROLLED_BACK -> ROLLED_BACK;
            // A pending policy or one that cleared before firing is no news; a dry run's Event is its record; a
            // rollback asked for by hand is told by its end (rolled-back); single actions are told by their state.
            case POLICY_PENDING, POLICY_CLEARED, APPROVAL_REQUIRED, APPROVED, REJECTED, RETRAINING_STARTED, DRY_RUN,
                    SNAPSHOT_TAKEN, JOB_SUCCEEDED, PROMOTION_STEP, RECOVERY_STEP, ROLLBACK_REQUESTED, ROLLBACK_STEP ->
                null;
        });
    }

    /** The remediation that ended in this step: a history entry {@code after} has and {@code before} had not. */
    public static Optional<HistoryEntry> ended(TargetRecord before, TargetRecord after) {
        if (after.history().size() != before.history().size() || !after.last().equals(before.last())) {
            return after.last();
        }
        return Optional.empty();
    }
}
