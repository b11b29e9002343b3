package dev.modelguardian.remediation;

/**
 * Where one training target (one CronJob) stands. Every edge, and the decision that takes it
 * ({@link RemediationDecider}):
 *
 * <pre>
 * HEALTHY           --a policy of the target's models is pending------------------&gt; PENDING
 * HEALTHY, PENDING  --a policy of the target's models fires-----------------------&gt; FIRING
 * PENDING, FIRING   --no policy pending or firing any more--------------------------&gt; HEALTHY
 * FIRING            --a Job of the CronJob is already active-----------------------&gt; RETRAINING (adopted, no new Job)
 * FIRING            --cooldown or daily cap not yet passed-------------------------&gt; FIRING (stays, says until when)
 * FIRING            --guards pass, approval required------------------------------&gt; AWAITING_APPROVAL
 * FIRING            --guards pass, dry run-----------------------------------------&gt; FIRING (records the Job it would create)
 * FIRING            --guards pass------------------------------------------------&gt; RETRAINING (persisted, then the Job is created)
 * AWAITING_APPROVAL --approved---------------------------------------------------&gt; RETRAINING
 * AWAITING_APPROVAL --policies recovered before approval--------------------------&gt; HEALTHY
 * RETRAINING        --the Job could not be created (no CronJob, rejected, 403)----&gt; FIRING (not started; counts
 *                                                                                   against the daily cap)
 * RETRAINING        --Job complete-----------------------------------------------&gt; VALIDATING
 * RETRAINING        --Job failed, pods stuck, timed out, or vanished (unknown)-----&gt; ROLLING_BACK
 * VALIDATING        --every candidate passes----------------------------------&gt; PROMOTING
 * VALIDATING        --a candidate fails, or the registry cannot be read---------&gt; ROLLING_BACK
 * PROMOTING         --promoted and restarted---------------------------------------&gt; VERIFYING
 * VERIFYING         --live signals healthy for the whole window-------------------&gt; HEALTHY (cooldown starts)
 * VERIFYING         --a live signal breaches---------------------------------------&gt; ROLLING_BACK
 * ROLLING_BACK      --flag off, previous versions restored, Deployment restarted--&gt; ROLLED_BACK
 * ROLLED_BACK       --a later remediation is promoted and verified-----------------&gt; HEALTHY
 * HEALTHY, PENDING, ROLLED_BACK --a human requests a remediation-----------------&gt; FIRING
 * </pre>
 *
 * Until the registry step is configured (validation, promotion, rollback of model versions), two interim edges end a
 * remediation:
 * <pre>
 * VALIDATING        --no registry step: the training Job's own gate is trusted----&gt; HEALTHY (cooldown starts)
 * ROLLING_BACK      --no rollback step: nothing to restore--------------------------&gt; ROLLED_BACK
 * </pre>
 *
 * Inconclusive signals never move a target: not towards retraining, not back to healthy. Cooldown is a guard, not a
 * state: a target in cooldown stays where its signals put it and acts again only when the cooldown has passed.
 * Validation, promotion, verification and rollback are decided by the registry step (the next stage of the runbook).
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
