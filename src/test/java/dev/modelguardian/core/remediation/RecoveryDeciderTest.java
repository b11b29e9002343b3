package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.registry.RegistryModel;

/** One test per edge of the registry step: VALIDATING, PROMOTING, VERIFYING, ROLLING_BACK, and the snapshot. */
class RecoveryDeciderTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final String DURATION = ValidatorTest.DURATION;
    static final RegistryModel DURATION_MODEL = new RegistryModel(DURATION, RegistryModel.Mode.STAGE, "champion");
    static final RecoverySpec SPEC = new RecoverySpec(Map.of(DURATION, ValidatorTest.MAE_BELOW_15),
            Optional.of("orchestrator-dynamic"), true, true, Duration.ofMinutes(5), Duration.ofMinutes(5), false,
            Optional.of("orchestrator-dynamic-config"), Map.of("ENABLE_ML_ENHANCED_SCHEDULING",
                    new RecoverySpec.FlagKey("false", Optional.of("config.scheduler.enableMlEnhancedScheduling=false"))));
    static final Snapshot SNAPSHOT = new Snapshot("r1", T0, Map.of(DURATION, ValidatorTest.baseline(14.0)),
            Optional.of("orchestrator-dynamic-config"), Map.of("ENABLE_ML_ENHANCED_SCHEDULING", Optional.of("true")));
    static final TargetHealth HEALTHY = new TargetHealth(PolicyState.HEALTHY, List.of());
    static final TargetHealth INCONCLUSIVE = new TargetHealth(PolicyState.INCONCLUSIVE, List.of());

    // ---- RETRAINING: the snapshot comes first ----------------------------------------------

    @Test
    void givenRetrainingWithoutSnapshot_whenChecked_thenTheSnapshotIsNeededBeforeTheJob() {
        TargetRecord record = record(RemediationState.RETRAINING, T0, Progress.EMPTY);

        assertThat(RecoveryDecider.needsSnapshot(record)).isTrue();
        assertThat(RecoveryDecider.needsSnapshot(record.with(record.progress().withSnapshot(SNAPSHOT), "s")))
                .isFalse();
    }

    @Test
    void givenAnOldRemediationsSnapshot_whenANewRemediationRetrains_thenItTakesItsOwn() {
        Snapshot old = new Snapshot("r0", T0.minusSeconds(86400), Map.of(), Optional.empty(), Map.of());

        assertThat(RecoveryDecider.needsSnapshot(record(RemediationState.RETRAINING, T0,
                Progress.EMPTY.withSnapshot(old)))).isTrue();
    }

    @Test
    void givenNotifyOnly_whenTheJobFailed_thenTheRemediationEndsFailedWithNothingRolledBack() {
        RecoverySpec notifyOnly = new RecoverySpec(SPEC.models(), SPEC.deployment(), true, false, SPEC.verifyWindow(),
                SPEC.registryWait(), false, SPEC.configMap(), SPEC.keys());

        Decision d = RecoveryDecider.afterTraining(new Decision.MoveTo(Reason.JOB_FAILED,
                "Job j failed: BackoffLimitExceeded"), notifyOnly);

        assertThat(d).isEqualTo(new Decision.EndRemediation(Reason.TRAINING_FAILED_NOTIFY_ONLY, HistoryEntry.Outcome.FAILED,
                "Job j failed: BackoffLimitExceeded; on-training-failure is notify-only, so nothing is rolled back"));
    }

    @Test
    void givenRollbackOnFailure_whenTheJobFailed_thenTheMoveToRollingBackStands() {
        Decision move = new Decision.MoveTo(Reason.JOB_FAILED, "Job j failed");

        assertThat(RecoveryDecider.afterTraining(move, SPEC)).isSameAs(move);
    }

    // ---- VALIDATING ---------------------------------------------------------------------------

    @Test
    void givenNoRegistry_whenValidating_thenTheJobsOwnGateIsTrustedAndTheTargetIsHealthy() {
        Decision d = RecoveryDecider.validating(validating(), RecoverySpec.NONE, new RegistryObservation.Seen(Map.of()),
                T0);

        assertThat(d).isInstanceOfSatisfying(Decision.EndRemediation.class, end -> {
            assertThat(end.to()).isEqualTo(RemediationState.HEALTHY);
            assertThat(end.outcome()).isEqualTo(HistoryEntry.Outcome.RETRAINED);
        });
    }

    @Test
    void givenAGoodCandidate_whenValidating_thenTheVerdictIsPersistedAndPromotionFollows() {
        Decision d = RecoveryDecider.validating(validating(), SPEC, ValidatorTest.seen(Optional.of(
                ValidatorTest.serving("7")), ValidatorTest.candidate("8", Map.of("mae_percentage", 12.0))), T0);

        assertThat(d).isInstanceOfSatisfying(Decision.Validated.class, v -> {
            assertThat(v.to()).isEqualTo(RemediationState.PROMOTING);
            assertThat(v.verdict().passed()).isTrue();
            assertThat(v.detail()).startsWith("validation passed: ticket-duration-predictor v8 passed");
        });
    }

    @Test
    void givenACandidateOverTheBound_whenValidating_thenItRollsBackWithTheNumbers() {
        Decision d = RecoveryDecider.validating(validating(), SPEC, ValidatorTest.seen(Optional.of(
                ValidatorTest.serving("7")), ValidatorTest.candidate("8", Map.of("mae_percentage", 17.5))), T0);

        assertThat(d).isInstanceOfSatisfying(Decision.Validated.class, v -> {
            assertThat(v.to()).isEqualTo(RemediationState.ROLLING_BACK);
            assertThat(v.detail()).contains("mae_percentage 17.5 not < 15");
        });
    }

    @Test
    void givenTheRegistryIsDown_whenValidatingWithinTheWait_thenItStaysAndNeverPromotes() {
        Decision d = RecoveryDecider.validating(validating(), SPEC,
                new RegistryObservation.Unreadable("HTTP 503", true), T0.plusSeconds(60));

        assertThat(d).isInstanceOfSatisfying(Decision.Stay.class,
                s -> {
                    assertThat(s.detail()).contains("HTTP 503").contains("rolling back at 2026-11-24T03:05:00Z");
                    assertThat(s.until()).contains(Instant.parse("2026-11-24T03:05:00Z"));
                });
    }

    @Test
    void givenTheRegistryIsDownPastTheWait_whenValidating_thenItRollsBack() {
        Decision d = RecoveryDecider.validating(validating(), SPEC,
                new RegistryObservation.Unreadable("HTTP 503", true), T0.plus(Duration.ofMinutes(5)));

        assertThat(d).isEqualTo(new Decision.MoveTo(Reason.VALIDATION_IMPOSSIBLE,
                "validation impossible: registry unreadable for 5m: HTTP 503"));
    }

    @Test
    void givenTheRegistrySaysTheModelDoesNotExist_whenValidating_thenItRollsBackAtOnce() {
        Decision d = RecoveryDecider.validating(validating(), SPEC,
                new RegistryObservation.Unreadable("registered model x does not exist", false), T0);

        assertThat(d).isInstanceOfSatisfying(Decision.MoveTo.class,
                m -> assertThat(m.to()).isEqualTo(RemediationState.ROLLING_BACK));
    }

    @Test
    void givenAVersionStillRegistering_whenValidatingWithinTheWait_thenItWaits() {
        RegistryObservation.Candidate pending = ValidatorTest.withStatus(ValidatorTest.candidate("8", Map.of()),
                dev.modelguardian.core.registry.ModelVersion.Status.PENDING_REGISTRATION);

        Decision within = RecoveryDecider.validating(validating(), SPEC, ValidatorTest.seen(Optional.of(
                ValidatorTest.serving("7")), pending), T0.plusSeconds(30));
        Decision after = RecoveryDecider.validating(validating(), SPEC, ValidatorTest.seen(Optional.of(
                ValidatorTest.serving("7")), pending), T0.plus(Duration.ofMinutes(6)));

        assertThat(within).isInstanceOf(Decision.Stay.class);
        assertThat(after).isInstanceOfSatisfying(Decision.MoveTo.class,
                m -> assertThat(m.detail()).contains("still PENDING_REGISTRATION after 6m"));
    }

    // ---- PROMOTING ----------------------------------------------------------------------------

    @Test
    void givenAPassedVerdict_whenPromoting_thenEachCandidateIsPromotedThenTheServerRestartedThenVerifying() {
        TargetRecord promoting = passed(RemediationState.PROMOTING);
        Action.Promote promote = new Action.Promote(DURATION_MODEL, "8");
        Action.Restart restart = new Action.Restart("orchestrator-dynamic", T0);

        assertThat(RecoveryDecider.promoting(promoting, SPEC)).isEqualTo(new Decision.Act(promote));
        TargetRecord promoted = promoting.with(promoting.progress().withDone(promote, "p"), "p");
        assertThat(RecoveryDecider.promoting(promoted, SPEC)).isEqualTo(new Decision.Act(restart));
        TargetRecord restarted = promoted.with(promoted.progress().withDone(restart, "r"), "r");
        assertThat(RecoveryDecider.promoting(restarted, SPEC)).isInstanceOfSatisfying(Decision.MoveTo.class, m -> {
            assertThat(m.to()).isEqualTo(RemediationState.VERIFYING);
            assertThat(m.detail()).isEqualTo("promoted ticket-duration-predictor v8 -> stage Production; Deployment"
                    + " orchestrator-dynamic restarted (restartedAt 2026-11-24T03:00:00Z); verifying the live signals"
                    + " for 5m");
        });
    }

    // ---- VERIFYING ----------------------------------------------------------------------------

    @Test
    void givenTheTriggeringSignalStillFiringInsideTheWindow_whenVerifying_thenItWaitsForItToClear() {
        TargetHealth stillFiring = new TargetHealth(PolicyState.FIRING, List.of(MAE_FIRING));

        Decision d = RecoveryDecider.verifying(passedAfter(MAE_FIRING), SPEC, stillFiring, T0.plusSeconds(60));

        assertThat(d).isEqualTo(new Decision.Stay(Hold.VERIFYING, "verifying until 2026-11-24T03:05:00Z, 4m left; waiting for"
                + " ticket-duration-predictor/mae-percentage 24 (> 20 for 1h) to clear",
                Optional.of(Instant.parse("2026-11-24T03:05:00Z"))));
    }

    @Test
    void givenTheTriggeringSignalStillFiringWhenTheWindowEnds_whenVerifying_thenItRollsBack() {
        TargetHealth stillFiring = new TargetHealth(PolicyState.FIRING, List.of(MAE_FIRING));

        Decision d = RecoveryDecider.verifying(passedAfter(MAE_FIRING), SPEC, stillFiring, T0.plusSeconds(300));

        assertThat(d).isEqualTo(new Decision.MoveTo(Reason.STILL_BREACHING, "still breaching after the 5m"
                + " verify window: ticket-duration-predictor/mae-percentage 24 (> 20 for 1h)"));
    }

    @Test
    void givenAPendingPolicyWhenTheWindowEnds_whenVerifying_thenItRollsBack() {
        TargetHealth pending = new TargetHealth(PolicyState.PENDING, List.of());

        Decision d = RecoveryDecider.verifying(passed(RemediationState.VERIFYING), SPEC, pending, T0.plusSeconds(300));

        assertThat(d).isEqualTo(new Decision.MoveTo(Reason.STILL_BREACHING,
                "still breaching after the 5m verify window: a policy is pending"));
    }

    @Test
    void givenASignalThatWasNotPartOfTheTriggerFiring_whenVerifying_thenItRollsBackAtOnce() {
        TargetHealth.FiredSignal precision = new TargetHealth.FiredSignal("ticket-anomaly-detector", "precision", 0.61,
                "< 0.7 for 1h");
        TargetHealth newBreach = new TargetHealth(PolicyState.FIRING, List.of(MAE_FIRING, precision));

        Decision d = RecoveryDecider.verifying(passedAfter(MAE_FIRING), SPEC, newBreach, T0.plusSeconds(60));

        assertThat(d).isEqualTo(new Decision.MoveTo(Reason.NEW_BREACH, "new breach while verifying:"
                + " ticket-anomaly-detector/precision 0.61 (< 0.7 for 1h)"));
    }

    @Test
    void givenARemediationRequestedByHandWithNoSignalFiring_whenASignalFiresInsideTheWindow_thenItRollsBackAtOnce() {
        TargetHealth firing = new TargetHealth(PolicyState.FIRING, List.of(MAE_FIRING));

        Decision d = RecoveryDecider.verifying(requestedByHand(), SPEC, firing, T0.plusSeconds(60));

        assertThat(d).isEqualTo(new Decision.MoveTo(Reason.NEW_BREACH, "new breach while verifying:"
                + " ticket-duration-predictor/mae-percentage 24 (> 20 for 1h)"));
    }

    @Test
    void givenARemediationRequestedByHand_whenEverySignalIsHealthyForTheWindow_thenItEndsPromoted() {
        Decision d = RecoveryDecider.verifying(requestedByHand(), SPEC, HEALTHY, T0.plusSeconds(300));

        assertThat(d).isInstanceOfSatisfying(Decision.EndRemediation.class, end -> {
            assertThat(end.to()).isEqualTo(RemediationState.HEALTHY);
            assertThat(end.outcome()).isEqualTo(HistoryEntry.Outcome.PROMOTED);
        });
    }

    @Test
    void givenARemediationRequestedByHand_whenHealthyInsideTheWindow_thenItWaitsOnlyForTheWindowWithNothingToClear() {
        Decision d = RecoveryDecider.verifying(requestedByHand(), SPEC, HEALTHY, T0.plusSeconds(290));

        assertThat(d).isEqualTo(new Decision.Stay(Hold.VERIFYING, "verifying until 2026-11-24T03:05:00Z, 10s left",
                Optional.of(Instant.parse("2026-11-24T03:05:00Z"))));
    }

    @Test
    void givenHealthyBeforeTheWindowEnds_whenVerifying_thenItWaitsForTheWholeWindow() {
        Decision d = RecoveryDecider.verifying(passed(RemediationState.VERIFYING), SPEC, HEALTHY, T0.plusSeconds(299));

        assertThat(d).isEqualTo(new Decision.Stay(Hold.VERIFYING, "verifying until 2026-11-24T03:05:00Z, 1s left",
                Optional.of(Instant.parse("2026-11-24T03:05:00Z"))));
    }

    @Test
    void givenHealthyForTheWholeWindow_whenVerifying_thenTheRemediationEndsPromotedAndHealthy() {
        Decision d = RecoveryDecider.verifying(passed(RemediationState.VERIFYING), SPEC, HEALTHY, T0.plusSeconds(300));

        assertThat(d).isEqualTo(new Decision.EndRemediation(Reason.VERIFIED, HistoryEntry.Outcome.PROMOTED,
                "verified: every signal within bounds for 5m"));
    }

    @Test
    void givenInconclusiveAfterTheWindow_whenVerifying_thenItNeitherPassesNorFails() {
        Decision d = RecoveryDecider.verifying(passed(RemediationState.VERIFYING), SPEC, INCONCLUSIVE,
                T0.plusSeconds(600));

        assertThat(d).isInstanceOf(Decision.Stay.class);
    }

    @Test
    void givenAnEarlierRollbackAndReenable_whenVerified_thenTheFlagIsPutBackAndTheServerRestartedBeforeTheEnd() {
        RecoverySpec reenable = new RecoverySpec(SPEC.models(), SPEC.deployment(), true, true, SPEC.verifyWindow(),
                SPEC.registryWait(), true, SPEC.configMap(), SPEC.keys());
        TargetRecord base = passed(RemediationState.VERIFYING);
        TargetRecord verifying = new TargetRecord(base.revision(), base.current(), base.reason(), base.progress(),
                Map.of("ENABLE_ML_ENHANCED_SCHEDULING", Optional.of("true")), List.of());
        Instant after = T0.plusSeconds(300);

        Decision d = RecoveryDecider.verifying(verifying, reenable, HEALTHY, after);

        assertThat(d).isInstanceOfSatisfying(Decision.Act.class, act -> assertThat(act.action()).isEqualTo(
                new Action.SetKeys("orchestrator-dynamic-config",
                        Map.of("ENABLE_ML_ENHANCED_SCHEDULING", Optional.of("true")),
                        Map.of("ENABLE_ML_ENHANCED_SCHEDULING", Optional.of("false")))));
    }

    // ---- ROLLING_BACK -------------------------------------------------------------------------

    @Test
    void givenASnapshot_whenRollingBack_thenFlagOffThenVersionRestoredThenRestartThenRolledBack() {
        TargetRecord rolling = record(RemediationState.ROLLING_BACK, T0, Progress.EMPTY.withSnapshot(SNAPSHOT)
                .withCause("validation failed: ticket-duration-predictor v8 failed (mae_percentage 17.5 not < 15)"));
        List<Action> plan = RecoveryDecider.rollbackPlan(rolling, SPEC);

        assertThat(plan).containsExactly(
                new Action.SetKeys("orchestrator-dynamic-config", Map.of("ENABLE_ML_ENHANCED_SCHEDULING",
                        Optional.of("false")), Map.of("ENABLE_ML_ENHANCED_SCHEDULING", Optional.of("true"))),
                new Action.Promote(DURATION_MODEL, "7"),
                new Action.Restart("orchestrator-dynamic", T0));
        TargetRecord r = rolling;
        for (Action a : plan) {
            assertThat(RecoveryDecider.rollingBack(r, SPEC)).isEqualTo(new Decision.Act(a));
            r = r.with(r.progress().withDone(a, a.describe()), a.describe());
        }
        Decision end = RecoveryDecider.rollingBack(r, SPEC);
        assertThat(end).isInstanceOfSatisfying(Decision.EndRemediation.class, e -> {
            assertThat(e.to()).isEqualTo(RemediationState.ROLLED_BACK);
            assertThat(e.detail()).startsWith("validation failed: ticket-duration-predictor v8 failed")
                    .contains("rolled back: ConfigMap orchestrator-dynamic-config: ENABLE_ML_ENHANCED_SCHEDULING"
                            + " true -> false; ticket-duration-predictor v7 -> stage Production")
                    .contains("to make this permanent set config.scheduler.enableMlEnhancedScheduling=false in the"
                            + " Helm values");
        });
    }

    @Test
    void givenNothingConfigured_whenRollingBack_thenItEndsRolledBackSayingThereWasNothingToRestore() {
        Decision d = RecoveryDecider.rollingBack(record(RemediationState.ROLLING_BACK, T0, Progress.EMPTY),
                RecoverySpec.NONE);

        assertThat(d).isInstanceOfSatisfying(Decision.EndRemediation.class,
                e -> assertThat(e.detail()).contains("nothing to restore"));
    }

    // ---- helpers ------------------------------------------------------------------------------

    static TargetRecord record(RemediationState state, Instant since, Progress progress) {
        TargetState s = new TargetState(state, since, Optional.of("r1"), Optional.of("ml-retrain-emergency-1"), true,
                List.of(), false, List.of(T0), Optional.empty());
        return new TargetRecord(3, s, "test", progress, Map.of(), List.of());
    }

    static TargetRecord validating() {
        return record(RemediationState.VALIDATING, T0, Progress.EMPTY.withSnapshot(SNAPSHOT));
    }

    static final TargetHealth.FiredSignal MAE_FIRING = new TargetHealth.FiredSignal("ticket-duration-predictor",
            "mae-percentage", 24, "> 20 for 1h");

    /** VERIFYING a passed verdict of a remediation that {@code trigger} started. */
    static TargetRecord passedAfter(TargetHealth.FiredSignal trigger) {
        TargetRecord r = passed(RemediationState.VERIFYING);
        TargetState s = r.current();
        return new TargetRecord(r.revision(), new TargetState(s.state(), s.since(), s.remediationId(), s.jobName(),
                s.jobCreated(), List.of(trigger), s.approved(), s.recentStarts(), s.lastFinished()), r.reason(),
                r.progress(), r.flagsToRestore(), r.history());
    }

    /** VERIFYING a passed verdict of a remediation a human requested while no signal fired. */
    static TargetRecord requestedByHand() {
        TargetRecord r = passed(RemediationState.VERIFYING);
        TargetState s = r.current();
        return new TargetRecord(r.revision(), new TargetState(s.state(), s.since(), s.remediationId(), s.jobName(),
                s.jobCreated(), List.of(), s.approved(), s.recentStarts(), s.lastFinished(),
                Optional.of("remediate --force")), r.reason(), r.progress(), r.flagsToRestore(), r.history());
    }

    static TargetRecord passed(RemediationState state) {
        Verdict verdict = new Verdict(T0, true, List.of(new Verdict.ModelVerdict(DURATION, Optional.of("8"), "test",
                true, List.of(), Optional.empty())));
        return record(state, T0, Progress.EMPTY.withSnapshot(SNAPSHOT).withVerdict(verdict));
    }
}
