package dev.modelguardian.core.remediation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.policy.PolicyState;

/**
 * The pure decision of one training target: (persisted state, what is observed now, policy, clock) to the next
 * {@link Decision}. No I/O and no hidden state. The caller applies a decision, persists, and asks again until the
 * answer is {@link Decision.Stay}: one edge of {@link RemediationState} per call.
 */
public final class RemediationDecider {

    private static final Duration DAY = Duration.ofHours(24);

    private RemediationDecider() {
    }

    /**
     * @param state     the persisted state of the target
     * @param health    the target's policies now
     * @param job       the current remediation's Job, as the cluster shows it
     * @param activeJob an active Job of the CronJob that is not the current remediation's (scheduled or manual)
     * @param policy    guards and naming
     * @param now       the clock
     */
    public static Decision decide(TargetState state, TargetHealth health, JobObservation job,
            Optional<String> activeJob, RemediationPolicy policy, Instant now) {
        return decide(state, health, job, activeJob, policy, now, "Job");
    }

    /**
     * As {@link #decide(TargetState, TargetHealth, JobObservation, Optional, RemediationPolicy, Instant)}, for a
     * target whose training runs are called {@code runKind} ({@code Job}, {@code Workflow}) in the decision's words.
     */
    public static Decision decide(TargetState state, TargetHealth health, JobObservation job,
            Optional<String> activeJob, RemediationPolicy policy, Instant now, String runKind) {
        return switch (state.state()) {
            case HEALTHY, PENDING, FIRING -> watch(state, health, activeJob, policy, now);
            case AWAITING_APPROVAL -> awaitingApproval(state, health, policy, now);
            case RETRAINING -> retraining(state, job, policy, now, runKind);
            // The registry step decides these (RecoveryDecider): it needs the snapshot, the registry and the plan.
            case VALIDATING, PROMOTING, VERIFYING, ROLLING_BACK -> new Decision.Stay(
                    Hold.DECIDED_ELSEWHERE, "decided by the registry step at " + state.state());
            case ROLLED_BACK -> new Decision.Stay(Hold.ROLLED_BACK, "rolled back; waiting for a human or a later good training");
        };
    }

    private static Decision watch(TargetState state, TargetHealth health, Optional<String> activeJob,
            RemediationPolicy policy, Instant now) {
        RemediationState current = state.state();
        return switch (health.state()) {
            case INCONCLUSIVE -> new Decision.Stay(Hold.INCONCLUSIVE, "signals inconclusive: no move either way");
            case HEALTHY -> current == RemediationState.HEALTHY ? new Decision.Stay(Hold.HEALTHY, "healthy")
                    : new Decision.MoveTo(current == RemediationState.PENDING ? Reason.POLICY_CLEARED
                            : Reason.POLICY_RECOVERED, "no policy pending or firing");
            case PENDING -> current == RemediationState.PENDING ? new Decision.Stay(Hold.PENDING, "pending")
                    : current == RemediationState.FIRING
                            ? new Decision.MoveTo(Reason.POLICY_PENDING, "no policy firing; one still pending")
                            : new Decision.MoveTo(Reason.POLICY_PENDING, "a policy is pending");
            case FIRING -> current != RemediationState.FIRING
                    ? new Decision.MoveTo(Reason.POLICY_FIRING, describe(health))
                    : guards(state, health, activeJob, policy, now);
        };
    }

    private static Decision guards(TargetState state, TargetHealth health, Optional<String> activeJob,
            RemediationPolicy policy, Instant now) {
        String id = remediationId(now);
        if (activeJob.isPresent()) {
            return new Decision.AdoptJob(id, activeJob.get(), health.firing());
        }
        if (state.lastFinished().isPresent()) {
            Instant until = state.lastFinished().get().plus(policy.cooldown());
            if (now.isBefore(until)) {
                return new Decision.Stay(Hold.COOLDOWN, "cooldown: the last remediation ended " + state.lastFinished().get()
                        + "; next possible at " + until);
            }
        }
        long started = state.startedWithin(DAY, now);
        if (started >= policy.maxPerDay()) {
            return new Decision.Stay(Hold.DAILY_CAP, "daily cap: " + started + " remediations started in the last 24h (max "
                    + policy.maxPerDay() + ")");
        }
        if (policy.requireApproval()) {
            return new Decision.MoveTo(Reason.APPROVAL_REQUIRED, "approval required before retraining");
        }
        String jobName = policy.jobName(now);
        if (policy.dryRun()) {
            return new Decision.RecordDryRun(jobName, health.firing());
        }
        return new Decision.StartRetraining(id, jobName, health.firing());
    }

    private static Decision awaitingApproval(TargetState state, TargetHealth health, RemediationPolicy policy,
            Instant now) {
        if (state.approved()) {
            String jobName = policy.jobName(now);
            return policy.dryRun() ? new Decision.RecordDryRun(jobName, state.trigger())
                    : new Decision.StartRetraining(remediationId(now), jobName,
                            health.firing().isEmpty() ? state.trigger() : health.firing());
        }
        if (health.state() == PolicyState.HEALTHY && state.requestedBy().isEmpty()) {
            // A remediation a human asked for waits for its approval whatever the signals say.
            return new Decision.MoveTo(Reason.RECOVERED_BEFORE_APPROVAL, "recovered before approval");
        }
        return new Decision.Stay(Hold.AWAITING_APPROVAL, "waiting for approval");
    }

    private static Decision retraining(TargetState state, JobObservation job, RemediationPolicy policy, Instant now,
            String runKind) {
        String run = runKind + " " + state.jobName().orElse("?");
        if (!state.jobCreated()) {
            // Persisted but not known to exist: create it. Creation is idempotent on the remediation id, so a Job
            // created just before a crash is found, not duplicated.
            return new Decision.CreateJob(state.remediationId().orElseThrow(), state.jobName().orElse("?"));
        }
        return switch (job) {
            case JobObservation.NotFound n -> new Decision.MoveTo(Reason.JOB_VANISHED,
                    "unknown outcome: " + run + " vanished before it finished");
            case JobObservation.Running r -> {
                Duration running = Duration.between(state.since(), now);
                Duration limit = policy.timeoutFor(r.activeDeadline());
                yield running.compareTo(limit) > 0
                        ? new Decision.MoveTo(Reason.JOB_TIMED_OUT, run + " timed out after "
                                + Durations.format(running.withNanos(0)) + " (limit " + Durations.format(limit) + ")")
                        : new Decision.Stay(Hold.JOB_RUNNING, run + " running for " + Durations.format(running.withNanos(0)),
                                Optional.of(state.since().plus(limit)));
            }
            case JobObservation.Succeeded s -> new Decision.MoveTo(Reason.JOB_SUCCEEDED,
                    run + " complete");
            case JobObservation.Failed f -> new Decision.MoveTo(Reason.JOB_FAILED,
                    run + " failed: " + f.reason());
            case JobObservation.Stuck s -> new Decision.MoveTo(Reason.JOB_STUCK,
                    run + " stuck: " + s.reason());
        };
    }

    /**
     * The Job of the persisted remediation could not be created (the CronJob is missing, the API rejected the Job, or
     * the guardian may not create Jobs). Nothing was changed in the cluster, so there is nothing to roll back: the
     * remediation ends NOT_STARTED and the target goes back to FIRING. The attempt counts against the daily cap, which
     * bounds the retries; the cooldown does not start.
     */
    public static Decision notStarted(TargetState state, String why) {
        return notStarted(state, why, "Job");
    }

    /** As {@link #notStarted(TargetState, String)}, for training runs called {@code runKind}. */
    public static Decision notStarted(TargetState state, String why, String runKind) {
        return new Decision.EndRemediation(Reason.JOB_NOT_CREATED, HistoryEntry.Outcome.NOT_STARTED,
                runKind + " " + state.jobName().orElse("?") + " could not be created: " + why);
    }

    /**
     * A human asks for a remediation now ({@code remediate}, the HTTP API). From ROLLED_BACK that is the way out;
     * from HEALTHY or PENDING the target is treated as firing; anywhere else the request changes nothing.
     */
    public static Decision requested(TargetState state) {
        return switch (state.state()) {
            case HEALTHY, PENDING, ROLLED_BACK -> new Decision.MoveTo(Reason.REQUESTED,
                    "remediation requested by hand");
            case FIRING -> new Decision.Stay(Hold.ALREADY_UNDER_WAY, "already firing");
            case AWAITING_APPROVAL -> new Decision.Stay(Hold.AWAITING_APPROVAL, "waiting for approval: approve it instead");
            case RETRAINING, VALIDATING, PROMOTING, VERIFYING, ROLLING_BACK -> new Decision.Stay(
                    Hold.ALREADY_UNDER_WAY, "remediation " + state.remediationId().orElse("?") + " is already at " + state.state());
        };
    }

    static String remediationId(Instant now) {
        return "r" + now.getEpochSecond();
    }

    private static String describe(TargetHealth health) {
        StringBuilder text = new StringBuilder("firing: ");
        for (int i = 0; i < health.firing().size(); i++) {
            TargetHealth.FiredSignal f = health.firing().get(i);
            text.append(i == 0 ? "" : ", ").append(f.model()).append('/').append(f.signal()).append(' ')
                    .append(dev.modelguardian.core.policy.Bound.format(f.value())).append(" (").append(f.bound()).append(')');
        }
        return text.toString();
    }
}
