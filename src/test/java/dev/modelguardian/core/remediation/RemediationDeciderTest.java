package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.TargetHealth.FiredSignal;
import dev.modelguardian.testing.Query;

/** One test per edge of {@link RemediationState}, as far as the decider drives it. */
class RemediationDeciderTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final RemediationPolicy POLICY = new RemediationPolicy(Duration.ofHours(6), 3, false, false,
            Duration.ofMinutes(65), Duration.ofMinutes(5), "ml-retrain-emergency");
    static final FiredSignal MAE = new FiredSignal("ticket-duration-predictor", "mae-percentage", 24, "> 20 for 1h");
    static final FiredSignal PRECISION = new FiredSignal("ticket-anomaly-detector", "precision", 0.6, "< 0.7 for 1h");
    static final TargetHealth FIRING = new TargetHealth(PolicyState.FIRING, List.of(MAE));
    static final TargetHealth HEALTHY = new TargetHealth(PolicyState.HEALTHY, List.of());
    static final TargetHealth PENDING = new TargetHealth(PolicyState.PENDING, List.of());
    static final TargetHealth INCONCLUSIVE = new TargetHealth(PolicyState.INCONCLUSIVE, List.of());
    static final JobObservation NO_JOB = new JobObservation.NotFound();
    static final JobObservation RUNNING = new JobObservation.Running(Optional.empty(), "1 pod Running");

    static TargetState in(RemediationState state) {
        return TargetState.healthy(NOW.minus(Duration.ofMinutes(10))).moveTo(state, NOW.minus(Duration.ofMinutes(10)));
    }

    static TargetState retraining(boolean jobCreated) {
        return new TargetState(RemediationState.RETRAINING, NOW.minus(Duration.ofMinutes(10)), Optional.of("r1"),
                Optional.of("ml-retrain-emergency-1"), jobCreated, List.of(MAE), false, List.of(), Optional.empty());
    }

    static Decision decide(TargetState state, TargetHealth health) {
        return RemediationDecider.decide(state, health, NO_JOB, Optional.empty(), POLICY, NOW);
    }

    static Decision decideJob(TargetState state, JobObservation job) {
        return RemediationDecider.decide(state, FIRING, job, Optional.empty(), POLICY, NOW);
    }

    @Test
    void givenHealthyTarget_whenAPolicyIsPending_thenPending() {
        assertThat(decide(in(RemediationState.HEALTHY), PENDING))
                .isEqualTo(new Decision.MoveTo(Reason.POLICY_PENDING, "a policy is pending"));
    }

    @Test
    void givenHealthyTarget_whenAPolicyFires_thenFiringWithTheValuesAndBounds() {
        assertThat(decide(in(RemediationState.HEALTHY), FIRING)).isEqualTo(new Decision.MoveTo(Reason.POLICY_FIRING,
                "firing: ticket-duration-predictor/mae-percentage 24 (> 20 for 1h)"));
    }

    @Test
    void givenPendingTarget_whenAPolicyFires_thenFiring() {
        assertThat(decide(in(RemediationState.PENDING), FIRING)).isInstanceOf(Decision.MoveTo.class)
                .extracting(d -> ((Decision.MoveTo) d).to()).isEqualTo(RemediationState.FIRING);
    }

    @Test
    void givenPendingTarget_whenPoliciesRecover_thenHealthy() {
        assertThat(decide(in(RemediationState.PENDING), HEALTHY))
                .isEqualTo(new Decision.MoveTo(Reason.POLICY_CLEARED, "no policy pending or firing"));
    }

    @Test
    void givenFiringTarget_whenPoliciesRecoverBeforeActing_thenHealthy() {
        assertThat(decide(in(RemediationState.FIRING), HEALTHY))
                .isEqualTo(new Decision.MoveTo(Reason.POLICY_RECOVERED, "no policy pending or firing"));
    }

    @Test
    void givenAnyWatchState_whenSignalsAreInconclusive_thenNothingMoves() {
        for (RemediationState s : List.of(RemediationState.HEALTHY, RemediationState.PENDING, RemediationState.FIRING)) {
            assertThat(decide(in(s), INCONCLUSIVE)).as(s.name())
                    .isEqualTo(new Decision.Stay(Hold.INCONCLUSIVE, "signals inconclusive: no move either way"));
        }
    }

    @Test
    void givenFiringTarget_whenGuardsPass_thenRetrainingStartsWithANamedJobAndTheTrigger() {
        TargetHealth both = new TargetHealth(PolicyState.FIRING, List.of(MAE, PRECISION));

        assertThat(decide(in(RemediationState.FIRING), both)).isEqualTo(new Decision.StartRetraining(
                "r" + NOW.getEpochSecond(), "ml-retrain-emergency-" + NOW.getEpochSecond(), List.of(MAE, PRECISION)));
    }

    @Test
    void givenFiringTarget_whenAJobOfTheCronJobIsAlreadyActive_thenItIsAdoptedInsteadOfStartingAnother() {
        Decision d = RemediationDecider.decide(in(RemediationState.FIRING), FIRING, NO_JOB,
                Optional.of("orchestrator-dynamic-ml-training-29390520"), POLICY, NOW);

        assertThat(d).isEqualTo(new Decision.AdoptJob("r" + NOW.getEpochSecond(),
                "orchestrator-dynamic-ml-training-29390520", List.of(MAE)));
    }

    @Test
    void givenFiringTarget_whenTheLastRemediationEndedWithinTheCooldown_thenItStaysAndSaysUntilWhen() {
        TargetState s = new TargetState(RemediationState.FIRING, NOW, Optional.empty(), Optional.empty(), false,
                List.of(), false, List.of(), Optional.of(NOW.minus(Duration.ofHours(2))));

        assertThat(decide(s, FIRING)).isEqualTo(new Decision.Stay(Hold.COOLDOWN, "cooldown: the last remediation ended "
                + NOW.minus(Duration.ofHours(2)) + "; next possible at " + NOW.plus(Duration.ofHours(4))));
    }

    @Test
    void givenFiringTarget_whenTheCooldownHasJustPassed_thenRetrainingStarts() {
        TargetState s = new TargetState(RemediationState.FIRING, NOW, Optional.empty(), Optional.empty(), false,
                List.of(), false, List.of(), Optional.of(NOW.minus(Duration.ofHours(6))));

        assertThat(decide(s, FIRING)).isInstanceOf(Decision.StartRetraining.class);
    }

    @Test
    void givenFiringTarget_whenTheDailyCapIsReached_thenItStays() {
        List<Instant> starts = List.of(NOW.minus(Duration.ofHours(20)), NOW.minus(Duration.ofHours(12)),
                NOW.minus(Duration.ofHours(7)));
        TargetState s = new TargetState(RemediationState.FIRING, NOW, Optional.empty(), Optional.empty(), false,
                List.of(), false, starts, Optional.empty());

        assertThat(decide(s, FIRING)).isEqualTo(
                new Decision.Stay(Hold.DAILY_CAP, "daily cap: 3 remediations started in the last 24h (max 3)"));
    }

    @Test
    void givenFiringTarget_whenTheOldestStartLeavesThe24hWindow_thenRetrainingStarts() {
        List<Instant> starts = List.of(NOW.minus(Duration.ofHours(24)), NOW.minus(Duration.ofHours(12)),
                NOW.minus(Duration.ofHours(7)));
        TargetState s = new TargetState(RemediationState.FIRING, NOW, Optional.empty(), Optional.empty(), false,
                List.of(), false, starts, Optional.empty());

        assertThat(decide(s, FIRING)).isInstanceOf(Decision.StartRetraining.class);
    }

    @Test
    void givenFiringTarget_whenApprovalIsRequired_thenAwaitingApproval() {
        RemediationPolicy approval = new RemediationPolicy(Duration.ofHours(6), 3, true, false, Duration.ofMinutes(65), Duration.ofMinutes(5),
                "ml-retrain-emergency");

        assertThat(RemediationDecider.decide(in(RemediationState.FIRING), FIRING, NO_JOB, Optional.empty(), approval,
                NOW)).isEqualTo(new Decision.MoveTo(Reason.APPROVAL_REQUIRED,
                        "approval required before retraining"));
    }

    @Test
    void givenFiringTarget_whenDryRun_thenTheJobIsRecordedNotStarted() {
        RemediationPolicy dry = new RemediationPolicy(Duration.ofHours(6), 3, false, true, Duration.ofMinutes(65), Duration.ofMinutes(5),
                "ml-retrain-emergency");

        assertThat(RemediationDecider.decide(in(RemediationState.FIRING), FIRING, NO_JOB, Optional.empty(), dry, NOW))
                .isEqualTo(new Decision.RecordDryRun("ml-retrain-emergency-" + NOW.getEpochSecond(), List.of(MAE)));
    }

    @Test
    void givenAwaitingApproval_whenApproved_thenRetrainingStarts() {
        TargetState s = new TargetState(RemediationState.AWAITING_APPROVAL, NOW, Optional.empty(), Optional.empty(),
                false, List.of(MAE), true, List.of(), Optional.empty());

        assertThat(decide(s, FIRING)).isInstanceOf(Decision.StartRetraining.class);
    }

    @Test
    void givenAwaitingApprovalInDryRun_whenApproved_thenTheJobIsRecordedNotStarted() {
        RemediationPolicy dry = new RemediationPolicy(Duration.ofHours(6), 3, true, true, Duration.ofMinutes(65), Duration.ofMinutes(5),
                "ml-retrain-emergency");
        TargetState s = new TargetState(RemediationState.AWAITING_APPROVAL, NOW, Optional.empty(), Optional.empty(),
                false, List.of(MAE), true, List.of(), Optional.empty());

        assertThat(RemediationDecider.decide(s, FIRING, NO_JOB, Optional.empty(), dry, NOW))
                .isEqualTo(new Decision.RecordDryRun("ml-retrain-emergency-" + NOW.getEpochSecond(), List.of(MAE)));
    }

    @Test
    void givenAwaitingApproval_whenPoliciesRecoverFirst_thenHealthy() {
        assertThat(decide(in(RemediationState.AWAITING_APPROVAL), HEALTHY))
                .isEqualTo(new Decision.MoveTo(Reason.RECOVERED_BEFORE_APPROVAL, "recovered before approval"));
    }

    @Test
    void givenARemediationRequestedByHandAwaitingApproval_whenThePoliciesAreHealthy_thenItKeepsWaitingForApproval() {
        TargetState requested = new TargetState(RemediationState.AWAITING_APPROVAL, NOW, Optional.empty(),
                Optional.empty(), false, List.of(), false, List.of(), Optional.empty(),
                Optional.of("remediate --force"));

        assertThat(decide(requested, HEALTHY)).isEqualTo(new Decision.Stay(Hold.AWAITING_APPROVAL, "waiting for approval"));
    }

    @Test
    void givenAwaitingApproval_whenNotYetApproved_thenItWaits() {
        assertThat(decide(in(RemediationState.AWAITING_APPROVAL), FIRING))
                .isEqualTo(new Decision.Stay(Hold.AWAITING_APPROVAL, "waiting for approval"));
    }

    @Test
    void givenRetrainingPersistedButJobNotYetCreated_whenNoJobExists_thenCreateIt() {
        assertThat(decideJob(retraining(false), NO_JOB))
                .isEqualTo(new Decision.CreateJob("r1", "ml-retrain-emergency-1"));
    }

    @Test
    void givenRetrainingWithCreatedJob_whenTheJobVanished_thenRollingBackForAnUnknownOutcome() {
        assertThat(decideJob(retraining(true), NO_JOB)).isEqualTo(new Decision.MoveTo(Reason.JOB_VANISHED,
                "unknown outcome: Job ml-retrain-emergency-1 vanished before it finished"));
    }

    @Test
    void givenRetraining_whenTheJobIsRunningWithinItsTimeout_thenItWaits() {
        assertThat(decideJob(retraining(true), RUNNING))
                .isEqualTo(new Decision.Stay(Hold.JOB_RUNNING, "Job ml-retrain-emergency-1 running for 10m",
                        Optional.of(NOW.plus(Duration.ofMinutes(55)))));
    }

    @Test
    void givenRetrainingAJobWithItsOwnDeadline_whenItRuns_thenTheStayLastsUntilThatDeadlinePlusTheMargin() {
        JobObservation running = new JobObservation.Running(Optional.of(Duration.ofHours(2)), "1 pod Running");

        assertThat(decideJob(retraining(true), running)).isInstanceOfSatisfying(Decision.Stay.class,
                stay -> assertThat(stay.until()).contains(NOW.minus(Duration.ofMinutes(10))
                        .plus(Duration.ofHours(2)).plus(Duration.ofMinutes(5))));
    }

    @Test
    void givenRetraining_whenTheJobRunsPastItsTimeout_thenRollingBack() {
        TargetState old = retraining(true).moveTo(RemediationState.RETRAINING, NOW.minus(Duration.ofMinutes(66)));

        assertThat(decideJob(old, RUNNING)).isEqualTo(new Decision.MoveTo(
                Reason.JOB_TIMED_OUT, "Job ml-retrain-emergency-1 timed out after 1h6m (limit 1h5m)"));
    }

    @Test
    void givenRetraining_whenTheJobCompletes_thenValidating() {
        assertThat(decideJob(retraining(true), new JobObservation.Succeeded()))
                .isEqualTo(new Decision.MoveTo(Reason.JOB_SUCCEEDED, "Job ml-retrain-emergency-1 complete"));
    }

    @Test
    void givenRetraining_whenTheJobFails_thenRollingBackWithTheReason() {
        assertThat(decideJob(retraining(true), new JobObservation.Failed("DeadlineExceeded")))
                .isEqualTo(new Decision.MoveTo(Reason.JOB_FAILED,
                        "Job ml-retrain-emergency-1 failed: DeadlineExceeded"));
    }

    @Test
    void givenRetraining_whenAPodIsStuckPullingItsImage_thenRollingBackWithTheReason() {
        assertThat(decideJob(retraining(true), new JobObservation.Stuck("ImagePullBackOff: ml-training:bad")))
                .isEqualTo(new Decision.MoveTo(Reason.JOB_STUCK,
                        "Job ml-retrain-emergency-1 stuck: ImagePullBackOff: ml-training:bad"));
    }

    @Test
    void givenRetraining_whenPoliciesRecoverMidJob_thenTheJobIsStillWatchedToItsEnd() {
        assertThat(RemediationDecider.decide(retraining(true), HEALTHY, RUNNING, Optional.empty(),
                POLICY, NOW)).isInstanceOf(Decision.Stay.class);
    }

    @Test
    void givenLongPrefix_whenAJobIsNamed_thenTheNameIsValidAndAtMost63Characters() {
        RemediationPolicy longPrefix = new RemediationPolicy(Duration.ZERO, 1, false, false, Duration.ofMinutes(1), Duration.ZERO,
                "a-very-long-prefix-for-the-emergency-retraining-jobs-of-this-model-server");

        String name = longPrefix.jobName(NOW);

        assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-" + NOW.getEpochSecond())
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(POLICY.jobName(NOW)).isEqualTo("ml-retrain-emergency-" + NOW.getEpochSecond());
    }

    @Test
    void givenTwoModelsOfOneTarget_whenBothFire_thenOneFiringTargetCarriesBothTriggers() {
        TargetHealth health = TargetHealth.of(List.of(
                evaluation("ticket-duration-predictor", "mae-percentage", Bound.above(20), PolicyState.FIRING, 24),
                evaluation("ticket-anomaly-detector", "precision", Bound.below(0.7), PolicyState.FIRING, 0.6),
                evaluation("ticket-duration-predictor", "feature-psi", Bound.above(0.25), PolicyState.PENDING, 0.3)));

        assertThat(health.state()).isEqualTo(PolicyState.FIRING);
        assertThat(health.firing()).extracting(FiredSignal::signal).containsExactly("mae-percentage", "precision");
        assertThat(decide(in(RemediationState.FIRING), health)).isInstanceOf(Decision.StartRetraining.class);
    }

    @Test
    void givenPoliciesOfATarget_whenAggregated_thenPendingBeatsInconclusiveAndNothingIsInconclusive() {
        assertThat(TargetHealth.of(List.of(
                evaluation("m", "a", Bound.above(1), PolicyState.PENDING, 2),
                evaluation("m", "b", Bound.above(1), PolicyState.INCONCLUSIVE, Double.NaN))).state())
                .isEqualTo(PolicyState.PENDING);
        assertThat(TargetHealth.of(List.of(
                evaluation("m", "a", Bound.above(1), PolicyState.HEALTHY, 0.5),
                evaluation("m", "b", Bound.above(1), PolicyState.INCONCLUSIVE, Double.NaN))).state())
                .isEqualTo(PolicyState.INCONCLUSIVE);
        assertThat(TargetHealth.of(List.of()).state()).isEqualTo(PolicyState.INCONCLUSIVE);
    }

    static Evaluation evaluation(String model, String signal, Bound bound, PolicyState state, double value) {
        Policy policy = new Policy(model, signal, Query.promql("q"), bound, Duration.ZERO,
                bound.direction().defaultReduce(), NoDataPolicy.INCONCLUSIVE, "");
        PolicyStatus status = new PolicyStatus(state, NOW, Optional.empty(), Optional.empty(),
                Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value), 1, 0, Optional.empty());
        return new Evaluation(policy, status, Duration.ZERO);
    }

    @Test
    void givenRetraining_whenTheJobHasADeadline_thenTheTimeoutIsTheDeadlinePlusTheMargin() {
        TargetState old = retraining(true).moveTo(RemediationState.RETRAINING, NOW.minus(Duration.ofMinutes(40)));
        JobObservation withDeadline = new JobObservation.Running(Optional.of(Duration.ofMinutes(30)), "1 pod Running");

        assertThat(decideJob(old, withDeadline)).isEqualTo(new Decision.MoveTo(Reason.JOB_TIMED_OUT,
                "Job ml-retrain-emergency-1 timed out after 40m (limit 35m)"));
        assertThat(decideJob(old, RUNNING)).as("without a deadline the 65m job-timeout applies")
                .isInstanceOf(Decision.Stay.class);
    }

    @Test
    void givenRetraining_whenTheJobCannotBeCreated_thenTheRemediationEndsNotStartedAndTheTargetFiresAgain() {
        assertThat(RemediationDecider.notStarted(retraining(false), "CronJob neural-hive/x not found"))
                .isEqualTo(new Decision.EndRemediation(Reason.JOB_NOT_CREATED, HistoryEntry.Outcome.NOT_STARTED,
                        "Job ml-retrain-emergency-1 could not be created: CronJob neural-hive/x not found"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = RemediationState.class,
            names = {"VALIDATING", "PROMOTING", "VERIFYING", "ROLLING_BACK"})
    void givenARegistryStepState_whenDecidedHere_thenItIsLeftToTheRecoveryDecider(RemediationState state) {
        Decision d = decide(retraining(true).moveTo(state, NOW), FIRING);

        assertThat(d).isEqualTo(new Decision.Stay(Hold.DECIDED_ELSEWHERE, "decided by the registry step at " + state));
    }

    @Test
    void givenRolledBack_whenSignalsFireAgain_thenItStaysUntilAHumanActs() {
        assertThat(decide(in(RemediationState.ROLLED_BACK), FIRING)).isInstanceOf(Decision.Stay.class);
    }

    @Test
    void givenRolledBack_whenAHumanRequestsARemediation_thenFiring() {
        assertThat(RemediationDecider.requested(in(RemediationState.ROLLED_BACK)))
                .isEqualTo(new Decision.MoveTo(Reason.REQUESTED, "remediation requested by hand"));
    }

    @Test
    void givenHealthy_whenAHumanRequestsARemediation_thenFiring() {
        assertThat(RemediationDecider.requested(in(RemediationState.HEALTHY)))
                .isEqualTo(new Decision.MoveTo(Reason.REQUESTED, "remediation requested by hand"));
    }

    @Test
    void givenRetraining_whenAHumanRequestsARemediation_thenNothingChanges() {
        assertThat(RemediationDecider.requested(retraining(true)))
                .isEqualTo(new Decision.Stay(Hold.ALREADY_UNDER_WAY, "remediation r1 is already at RETRAINING"));
    }

    @Test
    void givenRetrainingPersistedAndTheJobCreatedJustBeforeACrash_whenSeenRunning_thenCreateJobAgainWhichIsIdempotent() {
        assertThat(decideJob(retraining(false), RUNNING))
                .isEqualTo(new Decision.CreateJob("r1", "ml-retrain-emergency-1"));
    }
}
