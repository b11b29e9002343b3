package dev.modelguardian.core.remediation;

/**
 * Where one training target stands. Its edges, and the {@link Reason} of each, are data in one place,
 * {@link StateMachine#EDGES}; the engine refuses to persist a step the table does not hold.
 *
 * <p>Inconclusive signals never move a target: not towards retraining, not back to healthy. Cooldown and the daily
 * cap are guards, not states ({@link Hold}): a target held back by one stays FIRING and acts when the guard has
 * passed.
 */
public enum RemediationState {
    HEALTHY,
    PENDING,
    FIRING,
    AWAITING_APPROVAL,
    RETRAINING,
    VALIDATING,
    PROMOTING,
    VERIFYING,
    ROLLING_BACK,
    ROLLED_BACK
}
