package dev.modelguardian.core.remediation;

/**
 * Why a target took a step: the one classification of every persisted step. Each reason is exactly one row of
 * {@link StateMachine#EDGES} (the states it may be taken from, the state it leads to); the Event's reason, the
 * notification's milestone, the metric tag, replay's markers and {@code remediate}'s exit code are all derived from it,
 * never from the step's message, which is for people only.
 */
public enum Reason {
    /** A policy of the target's models breaches but has not held for its whole {@code for} yet. */
    POLICY_PENDING,
    /** A policy of the target's models fires. */
    POLICY_FIRING,
    /** The one pending policy cleared before it fired. */
    POLICY_CLEARED,
    /** No policy of the target is pending or firing any more, before any retraining started. */
    POLICY_RECOVERED,
    /** A human asked for a remediation ({@code remediate --force}, the HTTP API, {@code check --remediate}). */
    REQUESTED,
    /** The guards passed and a human must approve the retraining. */
    APPROVAL_REQUIRED,
    /** A human approved the parked remediation; it starts on the next step. */
    APPROVED,
    /** The signals recovered before anyone approved the retraining. */
    RECOVERED_BEFORE_APPROVAL,
    /** A human rejected the parked remediation; nothing was started, and the cooldown starts. */
    REJECTED,
    /** A remediation starts: persisted with the name of the Job still to be created. */
    RETRAINING_STARTED,
    /** A Job of the training trigger was already running and is watched instead of starting one. */
    JOB_ADOPTED,
    /** Dry run: the Job that would have been created is recorded; nothing is created. */
    DRY_RUN,
    /** What rollback restores (serving versions, flag values) was recorded before the Job is created. */
    SNAPSHOT_TAKEN,
    /** No snapshot can be taken, so the remediation does not start (nothing was changed). */
    NO_SNAPSHOT,
    /** The remediation's training Job exists now. */
    JOB_CREATED,
    /** The training Job could not be created (no CronJob, rejected, forbidden); nothing was changed. */
    JOB_NOT_CREATED,
    /** The training Job completed. */
    JOB_SUCCEEDED,
    /** The training Job failed (backoff limit, deadline exceeded). */
    JOB_FAILED,
    /** A pod of the training Job cannot make progress (image pull, unschedulable). */
    JOB_STUCK,
    /** The training Job ran longer than the configured timeout. */
    JOB_TIMED_OUT,
    /** The training Job disappeared before it finished: its outcome is unknown. */
    JOB_VANISHED,
    /** Training failed and {@code on-training-failure} is {@code notify-only}: the remediation ends, nothing rolls back. */
    TRAINING_FAILED_NOTIFY_ONLY,
    /** No registry step is configured: the training Job's own gate is trusted and the remediation ends. */
    TRAINING_TRUSTED,
    /** Every candidate passed validation. */
    VALIDATION_PASSED,
    /** A candidate failed validation. */
    VALIDATION_FAILED,
    /** Validation cannot be done: no snapshot, the registry unreadable or the candidates missing for too long. */
    VALIDATION_IMPOSSIBLE,
    /** One action of the promotion was taken (a version promoted, the model server restarted). */
    PROMOTION_STEP,
    /** An action of the promotion failed for good. */
    PROMOTION_FAILED,
    /** The candidates were promoted and the model server restarted; the live signals are verified next. */
    PROMOTED,
    /** A signal that did not trigger the remediation fired while verifying. */
    NEW_BREACH,
    /** A signal still breached when the verify window ended. */
    STILL_BREACHING,
    /** One action of the recovery after verification was taken (flags put back, the restart). */
    RECOVERY_STEP,
    /** Every signal stayed within bounds for the verify window: the remediation ends promoted. */
    VERIFIED,
    /** A human asked for a rollback ({@code rollback}, the HTTP API). */
    ROLLBACK_REQUESTED,
    /** One action of the rollback was taken (flag off, a version restored, the restart), or recorded as failed. */
    ROLLBACK_STEP,
    /** Every rollback action was taken: the remediation ends rolled back. */
    ROLLED_BACK
}
