package dev.modelguardian.kube;

import java.util.Optional;

import dev.modelguardian.remediation.RemediationState;

/**
 * The one catalogue of Kubernetes Event reasons the guardian emits (events.k8s.io/v1). Each reason has its PascalCase
 * {@code reason} string, its {@code type} ({@code Normal} or {@code Warning}) and the {@code action} (a PascalCase
 * verb) that the events.k8s.io/v1 API requires. Events regard the training CronJob (policy and guard events) or the
 * training Job (Job events); the note carries the numbers.
 *
 * <p>Every edge of {@link RemediationState} has a reason; {@link #forTransition} maps the edges whose two states
 * alone decide it, and leaves the others to the caller, which knows what it observed.
 */
public enum EventReason {

    /** A policy of the target's models breaches but has not yet held for its whole {@code for}: HEALTHY or FIRING to PENDING. */
    POLICY_PENDING("PolicyPending", Type.NORMAL, "Evaluate"),

    /** A policy of the target's models fires: HEALTHY or PENDING to FIRING. The note names the signals, values and bounds. */
    POLICY_FIRING("PolicyFiring", Type.WARNING, "Evaluate"),

    /**
     * No policy of the target is pending or firing any more before any retraining: PENDING, FIRING or
     * AWAITING_APPROVAL to HEALTHY.
     */
    POLICY_RECOVERED("PolicyRecovered", Type.NORMAL, "Evaluate"),

    /**
     * A remediation starts and its Job is about to be created: FIRING or AWAITING_APPROVAL to RETRAINING, persisted
     * before the Job exists. The note has the remediation id and the Job name.
     */
    REMEDIATION_STARTED("RemediationStarted", Type.NORMAL, "Retrain"),

    /** The remediation's training Job was created from the CronJob (RETRAINING, Job now known to exist). */
    RETRAINING_JOB_CREATED("RetrainingJobCreated", Type.NORMAL, "CreateJob"),

    /**
     * A Job of the CronJob was already running (scheduled or manual) and is watched instead of creating one: FIRING
     * to RETRAINING without a new Job.
     */
    RETRAINING_JOB_ADOPTED("RetrainingJobAdopted", Type.NORMAL, "AdoptJob"),

    /** Dry run: the Job that would have been created is recorded, nothing is created; the target stays FIRING. */
    RETRAINING_DRY_RUN("RetrainingDryRun", Type.NORMAL, "Simulate"),

    /** Guards passed but a human must approve: FIRING to AWAITING_APPROVAL. */
    AWAITING_APPROVAL("AwaitingApproval", Type.NORMAL, "RequestApproval"),

    /** A human approved the pending remediation (through the API); the next step starts retraining. */
    APPROVED("Approved", Type.NORMAL, "Approve"),

    /**
     * The target fires but a guard holds retraining back: the cooldown since the last remediation or the daily cap
     * has not passed. The target stays FIRING; the note says until when, or the count and the cap.
     */
    GUARD_BLOCKED("GuardBlocked", Type.WARNING, "Defer"),

    /** The training Job completed: RETRAINING to VALIDATING. */
    RETRAINING_SUCCEEDED("RetrainingSucceeded", Type.NORMAL, "WatchJob"),

    /** The training Job failed (backoff limit, deadline exceeded): RETRAINING to ROLLING_BACK. */
    RETRAINING_FAILED("RetrainingFailed", Type.WARNING, "WatchJob"),

    /** A pod of the training Job cannot make progress (image pull, unschedulable): RETRAINING to ROLLING_BACK. */
    RETRAINING_STUCK("RetrainingStuck", Type.WARNING, "WatchJob"),

    /** The training Job ran longer than the configured timeout: RETRAINING to ROLLING_BACK. */
    RETRAINING_TIMED_OUT("RetrainingTimedOut", Type.WARNING, "WatchJob"),

    /** The training Job disappeared before it finished (outcome unknown): RETRAINING to ROLLING_BACK. */
    RETRAINING_JOB_VANISHED("RetrainingJobVanished", Type.WARNING, "WatchJob"),

    /** Before the Job is created: what rollback restores (serving versions, flag values) is recorded. */
    SNAPSHOT_TAKEN("SnapshotTaken", Type.NORMAL, "Snapshot"),

    /** A model version was made the serving one (promotion, or a rollback restoring the snapshot's version). */
    VERSION_PROMOTED("VersionPromoted", Type.NORMAL, "Promote"),

    /**
     * The flag ConfigMap was patched (rollback disables ML; recovery re-enables it). The note names the keys, the old
     * and new values, and the Helm values key that makes it permanent.
     */
    FLAGS_CHANGED("FlagsChanged", Type.WARNING, "PatchConfigMap"),

    /** The model server Deployment was restarted so it loads the models and flags ({@code kubectl rollout restart}). */
    MODEL_SERVER_RESTARTED("ModelServerRestarted", Type.NORMAL, "RestartDeployment"),

    /** Every retrained candidate passed validation: VALIDATING to PROMOTING. */
    VALIDATION_PASSED("ValidationPassed", Type.NORMAL, "Validate"),

    /** The candidates were promoted and the model server restarted: PROMOTING to VERIFYING. */
    PROMOTED("Promoted", Type.NORMAL, "Promote"),

    /**
     * A rollback starts after validation or verification: VALIDATING or VERIFYING to ROLLING_BACK. (A failed Job goes
     * to ROLLING_BACK with its own reason above.)
     */
    ROLLING_BACK("RollingBack", Type.WARNING, "RollBack"),

    /** The previous versions are restored and the Deployment restarted: ROLLING_BACK to ROLLED_BACK. */
    ROLLED_BACK("RolledBack", Type.WARNING, "RollBack"),

    /**
     * The target is healthy again after a remediation: VERIFYING to HEALTHY (live signals held healthy for the
     * whole window; the cooldown starts), or ROLLED_BACK to HEALTHY.
     */
    RECOVERED("Recovered", Type.NORMAL, "Verify"),

    /** A signal of the target's models reached the consecutive source-error limit; it stays inconclusive. */
    SOURCE_ERRORS("SourceErrors", Type.WARNING, "ReadSignal"),

    /**
     * A call to the Kubernetes API for an action failed (403, 409, 500, timeout); the note names the action and the
     * HTTP code. The step is retried in the next cycle.
     */
    ACTION_FAILED("ActionFailed", Type.WARNING, "CallApi");

    /** The Event types events.k8s.io/v1 accepts. */
    public enum Type {
        NORMAL("Normal"),
        WARNING("Warning");

        private final String value;

        Type(String value) {
            this.value = value;
        }

        /** The value of the Event's {@code type} field. */
        public String value() {
            return value;
        }
    }

    private final String reason;
    private final Type type;
    private final String action;

    EventReason(String reason, Type type, String action) {
        this.reason = reason;
        this.type = type;
        this.action = action;
    }

    /** The Event's {@code reason}, PascalCase. */
    public String reason() {
        return reason;
    }

    /** The Event's {@code type}. */
    public Type type() {
        return type;
    }

    /** The Event's {@code action}, a PascalCase verb. */
    public String action() {
        return action;
    }

    /**
     * The reason for an edge of {@link RemediationState} when the two states alone decide it; empty for a state that
     * does not change, for a pair that is no edge, and for the edges that need what the caller observed:
     * <ul>
     * <li>FIRING to RETRAINING: {@link #REMEDIATION_STARTED} for a new Job, {@link #RETRAINING_JOB_ADOPTED} for an
     * adopted one;</li>
     * <li>RETRAINING to ROLLING_BACK: {@link #RETRAINING_FAILED}, {@link #RETRAINING_STUCK},
     * {@link #RETRAINING_TIMED_OUT} or {@link #RETRAINING_JOB_VANISHED}, from the Job observation.</li>
     * </ul>
     * Reasons that are no state change ({@link #RETRAINING_JOB_CREATED}, {@link #RETRAINING_DRY_RUN},
     * {@link #APPROVED}, {@link #GUARD_BLOCKED}, {@link #SOURCE_ERRORS}, {@link #ACTION_FAILED}) are chosen by the
     * caller too.
     */
    public static Optional<EventReason> forTransition(RemediationState from, RemediationState to) {
        EventReason reason = switch (to) {
            case PENDING -> from == RemediationState.HEALTHY || from == RemediationState.FIRING ? POLICY_PENDING : null;
            case FIRING -> from == RemediationState.HEALTHY || from == RemediationState.PENDING ? POLICY_FIRING : null;
            case HEALTHY -> switch (from) {
                case PENDING, FIRING, AWAITING_APPROVAL -> POLICY_RECOVERED;
                case VERIFYING, ROLLED_BACK -> RECOVERED;
                default -> null;
            };
            case AWAITING_APPROVAL -> from == RemediationState.FIRING ? AWAITING_APPROVAL : null;
            case RETRAINING -> from == RemediationState.AWAITING_APPROVAL ? REMEDIATION_STARTED : null;
            case VALIDATING -> from == RemediationState.RETRAINING ? RETRAINING_SUCCEEDED : null;
            case PROMOTING -> from == RemediationState.VALIDATING ? VALIDATION_PASSED : null;
            case VERIFYING -> from == RemediationState.PROMOTING ? PROMOTED : null;
            case ROLLING_BACK -> from == RemediationState.VALIDATING || from == RemediationState.VERIFYING
                    ? ROLLING_BACK : null;
            case ROLLED_BACK -> from == RemediationState.ROLLING_BACK ? ROLLED_BACK : null;
        };
        return Optional.ofNullable(reason);
    }
}
