package dev.modelguardian.core.remediation;

/**
 * Told about every persisted step of a remediation: Events, metrics, progress lines and logs hang off it. A listener
 * must not throw; the engine guards against it anyway, since telling never fails a remediation.
 */
public interface RemediationListener {

    /**
     * One persisted step.
     *
     * @param target   the target
     * @param before   the record before the step
     * @param after    the record as persisted
     * @param decision what was decided
     * @param reason   why: the edge of {@link StateMachine#EDGES} the step took, which every listener classifies by
     */
    record Step(TargetSpec target, TargetRecord before, TargetRecord after, Decision decision, Reason reason) {

        /**
         * The training run's last log lines, when this step is the run failing ({@link StateMachine#TRAINING_FAILURES})
         * and they were kept: in the remediation's progress, or in its history entry when the step ended it.
         */
        public java.util.Optional<LogTail> trainingLog() {
            if (!StateMachine.TRAINING_FAILURES.contains(reason)) {
                return java.util.Optional.empty();
            }
            return after.progress().trainingLog().or(() -> after.last().flatMap(HistoryEntry::trainingLog));
        }
    }

    /** A step was persisted (and, for a Job creation, the Job exists). */
    default void stepped(Step step) {
    }

    /** A target stayed where it is; {@code stay} says why (a guard, a running Job, healthy signals). */
    default void stayed(TargetSpec target, TargetRecord record, Decision.Stay stay) {
    }

    /** An action on the cluster failed; the state is left as it was persisted. */
    default void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
    }

    /** A listener that does nothing. */
    RemediationListener NONE = new RemediationListener() {
    };
}
