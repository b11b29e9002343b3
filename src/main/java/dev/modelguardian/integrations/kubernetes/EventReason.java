package dev.modelguardian.integrations.kubernetes;

import java.util.Optional;

import dev.modelguardian.core.remediation.Reason;
import dev.modelguardian.core.remediation.RemediationState;

/**
 * The one catalogue of Kubernetes Event reasons the guardian emits (events.k8s.io/v1). Each reason has its PascalCase
 * {@code reason} string, its {@code type} ({@code Normal} or {@code Warning}) and the {@code action} (a PascalCase
 * verb) that the events.k8s.io/v1 API requires. Events regard the training CronJob (policy and guard events) or the
 * training Job (Job events); the note carries the numbers.
 *
 * <p>{@link #of} maps each edge of the state machine ({@link Reason}) to its Event, in one exhaustive switch.
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

    /** A human rejected the pending remediation: AWAITING_APPROVAL to FIRING, nothing started, the cooldown starts. */
    REJECTED("Rejected", Type.NORMAL, "Reject"),

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
     * The Event of a step that took the edge {@code reason} from {@code from}; empty for a step not worth an Event
     * (an action's Event is chosen by the action's kind: {@link #FLAGS_CHANGED}, {@link #VERSION_PROMOTED},
     * {@link #MODEL_SERVER_RESTARTED}). {@link #GUARD_BLOCKED}, {@link #SOURCE_ERRORS} and {@link #ACTION_FAILED} are
     * no step and are chosen by their caller.
     */
    public static Optional<EventReason> of(Reason reason, RemediationState from) {
        return Optional.ofNullable(switch (reason) {
            case POLICY_PENDING -> POLICY_PENDING;
            case POLICY_FIRING -> POLICY_FIRING;
            // A remediation asked for by hand out of ROLLED_BACK is told by its start, not as a policy firing.
            case REQUESTED -> from == RemediationState.ROLLED_BACK ? null : POLICY_FIRING;
            case POLICY_CLEARED, POLICY_RECOVERED, RECOVERED_BEFORE_APPROVAL -> POLICY_RECOVERED;
            case APPROVAL_REQUIRED -> AWAITING_APPROVAL;
            case APPROVED -> APPROVED;
            case REJECTED -> REJECTED;
            case RETRAINING_STARTED -> REMEDIATION_STARTED;
            case JOB_ADOPTED -> RETRAINING_JOB_ADOPTED;
            case JOB_CREATED -> RETRAINING_JOB_CREATED;
            case DRY_RUN -> RETRAINING_DRY_RUN;
            case SNAPSHOT_TAKEN -> SNAPSHOT_TAKEN;
            // ActionFailed already said why the remediation could not start.
            case NO_SNAPSHOT, JOB_NOT_CREATED -> null;
            case JOB_SUCCEEDED -> RETRAINING_SUCCEEDED;
            case JOB_FAILED, TRAINING_FAILED_NOTIFY_ONLY -> RETRAINING_FAILED;
            case JOB_STUCK -> RETRAINING_STUCK;
            case JOB_TIMED_OUT -> RETRAINING_TIMED_OUT;
            case JOB_VANISHED -> RETRAINING_JOB_VANISHED;
            case VALIDATION_PASSED -> VALIDATION_PASSED;
            case VALIDATION_FAILED, VALIDATION_IMPOSSIBLE, NEW_BREACH, STILL_BREACHING -> ROLLING_BACK;
            // ActionFailed already named the action whose failure ends the promotion.
            case PROMOTION_FAILED -> null;
            case ROLLBACK_REQUESTED -> from == RemediationState.VALIDATING || from == RemediationState.VERIFYING
                    ? ROLLING_BACK : null;
            case PROMOTED -> PROMOTED;
            case TRAINING_TRUSTED, VERIFIED -> RECOVERED;
            case ROLLED_BACK -> ROLLED_BACK;
            // Each action has its own Event, by kind.
            case PROMOTION_STEP, RECOVERY_STEP, ROLLBACK_STEP -> null;
        });
    }
}
