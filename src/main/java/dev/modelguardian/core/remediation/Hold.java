package dev.modelguardian.core.remediation;

/**
 * Why a target stays where it is: the typed classification of a {@link Decision.Stay}, which the listeners and
 * {@code remediate} read instead of the stay's message.
 */
public enum Hold {
    /** Every policy of the target's models is healthy. */
    HEALTHY,
    /** A policy is pending: breaching, not yet for its whole {@code for}. */
    PENDING,
    /** The signals are inconclusive (no data, source errors): no move either way. */
    INCONCLUSIVE,
    /** The target fires, but the cooldown since the last remediation has not passed. */
    COOLDOWN,
    /** The target fires, but the daily cap of remediations is reached. */
    DAILY_CAP,
    /** The remediation waits for a human's approval. */
    AWAITING_APPROVAL,
    /** A request by hand changes nothing: the target already fires, or a remediation is under way. */
    ALREADY_UNDER_WAY,
    /** The training Job is running. */
    JOB_RUNNING,
    /** The registry cannot be read or the candidates are not registered yet: waited for, within the registry wait. */
    WAITING_FOR_REGISTRY,
    /** Verifying: the verify window has not ended. */
    VERIFYING,
    /** The verify window ended while the signals are inconclusive: waiting for a conclusive cycle. */
    VERIFYING_INCONCLUSIVE,
    /** Rolled back: waits for a human or a later good training. */
    ROLLED_BACK,
    /** A call to create the Job failed and is retried in the next cycle. */
    RETRYING,
    /** Another step decides this state (the registry step for VALIDATING to ROLLING_BACK). */
    DECIDED_ELSEWHERE
}
