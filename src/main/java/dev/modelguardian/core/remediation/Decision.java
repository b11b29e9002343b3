package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One step the decider asks for. A state change is persisted before anything is done about it; an action is taken
 * only on a state that is already persisted, so a crash at any point resumes at the same step.
 */
public sealed interface Decision {

    /**
     * Nothing to do now: {@code hold} says why, {@code detail} says it with the numbers (status API, logs).
     * {@code until} is when the guardian moves the target on by itself if nothing else happens first (a running
     * training's timeout, the end of the registry wait or of the verify window); empty for a stay with no deadline.
     * A target still there well after it means the guardian stopped acting on it (metric
     * {@code guardian_target_deadline_timestamp_seconds}).
     */
    record Stay(Hold hold, String detail, Optional<Instant> until) implements Decision {

        public Stay {
            until = until == null ? Optional.empty() : until;
        }

        /** A stay with no deadline of its own. */
        public Stay(Hold hold, String detail) {
            this(hold, detail, Optional.empty());
        }
    }

    /** Persist the state {@code reason}'s edge leads to; {@code detail} says why, with the numbers. */
    record MoveTo(Reason reason, String detail) implements Decision {

        /** The state the step leads to, from {@link StateMachine#EDGES}. */
        public RemediationState to() {
            return StateMachine.to(reason);
        }
    }

    /** Persist RETRAINING for a new remediation, with the name of the Job still to be created. */
    record StartRetraining(String remediationId, String jobName, List<TargetHealth.FiredSignal> trigger)
            implements Decision {
    }

    /** Persist RETRAINING for a new remediation that watches a Job of the CronJob that is already running. */
    record AdoptJob(String remediationId, String jobName, List<TargetHealth.FiredSignal> trigger) implements Decision {
    }

    /** Create the persisted remediation's Job from the CronJob (idempotent: a Job with its id label is reused). */
    record CreateJob(String remediationId, String jobName) implements Decision {
    }

    /** Dry run: record the Job that would be created; it counts against cooldown and daily cap like a real one. */
    record RecordDryRun(String jobName, List<TargetHealth.FiredSignal> trigger) implements Decision {
    }

    /**
     * Persist the end of the current remediation: the state {@code reason}'s edge leads to, a history entry with
     * {@code outcome}, and (except for a Job that never started) the start of the cooldown.
     */
    record EndRemediation(Reason reason, HistoryEntry.Outcome outcome, String detail) implements Decision {

        /** The state the remediation ends in, from {@link StateMachine#EDGES}. */
        public RemediationState to() {
            return StateMachine.to(reason);
        }
    }

    /** Take the snapshot rollback restores (serving versions with metrics, flag values) and persist it. */
    record TakeSnapshot() implements Decision {
    }

    /**
     * Persist validation's verdict and move on: {@link Reason#VALIDATION_PASSED} to PROMOTING, else
     * {@link Reason#VALIDATION_FAILED} to ROLLING_BACK.
     */
    record Validated(Verdict verdict, Reason reason, String detail) implements Decision {

        /** The state validation leads to, from {@link StateMachine#EDGES}. */
        public RemediationState to() {
            return StateMachine.to(reason);
        }
    }

    /** Take the next action of the current state, then persist it as done. */
    record Act(Action action) implements Decision {
    }
}
