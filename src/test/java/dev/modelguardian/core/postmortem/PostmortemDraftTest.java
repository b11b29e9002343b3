package dev.modelguardian.core.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth.FiredSignal;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.core.remediation.Verdict;
import dev.modelguardian.testing.Query;

/** The post-mortem draft of a remediation, rendered from a history entry alone: what it says and with which numbers. */
class PostmortemDraftTest {

    static final Instant FIRED = Instant.parse("2026-11-24T02:57:00Z");
    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final String JOB = "ml-retrain-emergency-1763953200";
    static final FiredSignal MAE = new FiredSignal("ticket-duration-predictor", "mae-ratio", 1.72, "> 1.5 (clear <= 1.3)");
    static final RecoverySpec ROLLBACK = new RecoverySpec(Map.of(), Optional.of("orchestrator-dynamic"), true, true,
            Duration.ofMinutes(5), Duration.ofMinutes(5), true, Optional.of("orchestrator-dynamic-config"),
            Map.of("ENABLE_ML_ENHANCED_SCHEDULING", new RecoverySpec.FlagKey("false", Optional.empty())));
    static final TargetSpec TARGET = new TargetSpec("orchestrator-dynamic-ml-training",
            "orchestrator-dynamic-ml-training", List.of("ticket-duration-predictor"), ROLLBACK);

    private static Timeline timeline(RemediationState... states) {
        Instant[] at = { FIRED, T0, T0.plusSeconds(1440), T0.plusSeconds(1500), T0.plusSeconds(1530) };
        List<Timeline.Mark> marks = new java.util.ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            marks.add(new Timeline.Mark(states[i], at[i]));
        }
        return new Timeline(marks, Optional.of(new Timeline.Approval("alice@neural-hive.example", T0)));
    }

    private static String draft(HistoryEntry entry) {
        return draft(entry, List.of());
    }

    private static String draft(HistoryEntry entry, List<SignalWindow> signals) {
        return new PostmortemDraft("neural-hive", "the state ConfigMap neural-hive/model-guardian-state", TARGET, entry,
                Optional.of("config.scheduler.enableMlEnhancedScheduling=false"), signals, T0.plusSeconds(7200))
                .markdown();
    }

    @Test
    void givenAFailedTrainingRolledBack_whenDrafted_thenItSaysWhatFiredTheLogTheTimesAndWhatIsLeftToDo() {
        HistoryEntry entry = new HistoryEntry("r1763953200", Optional.of(JOB), T0, T0.plusSeconds(1500),
                HistoryEntry.Outcome.ROLLED_BACK, "Job " + JOB + " failed: BackoffLimitExceeded; rolled back: "
                        + "ENABLE_ML_ENHANCED_SCHEDULING=false", List.of(MAE), Optional.empty(),
                List.of("ENABLE_ML_ENHANCED_SCHEDULING=false in ConfigMap orchestrator-dynamic-config (was true)",
                        "Deployment orchestrator-dynamic restarted"),
                timeline(RemediationState.FIRING, RemediationState.RETRAINING, RemediationState.ROLLING_BACK,
                        RemediationState.ROLLED_BACK), Optional.empty(),
                Optional.of(LogTail.of("pod " + JOB + "-x7k2p container ml-training",
                        List.of("epoch 3/20 - loss: 0.871", "RuntimeError: CUDA out of memory"), false)));

        String md = draft(entry);

        assertThat(md).startsWith("# Post-mortem draft: orchestrator-dynamic-ml-training, remediation r1763953200\n")
                .contains("ticket-duration-predictor mae-ratio breached (ticket-duration-predictor/mae-ratio 1.72"
                        + " (> 1.5 (clear <= 1.3))); the guardian retrained through Job " + JOB
                        + " from CronJob orchestrator-dynamic-ml-training. Outcome: **rolled_back** after 28m from"
                        + " the first breach.")
                .contains("| first breach the guardian saw fire | 2026-11-24T02:57:00Z |")
                .contains("| ticket-duration-predictor | mae-ratio | 1.72 | > 1.5 (clear <= 1.3) |")
                .contains("| 2026-11-24T03:24:00Z | +27m | ROLLING_BACK |")
                .contains("Approved by alice@neural-hive.example at 2026-11-24T03:00:00Z.")
                .contains("| Job running | 24m |")
                .contains("2 lines of pod " + JOB + "-x7k2p container ml-training:\n\n```\nepoch 3/20 - loss: 0.871\n"
                        + "RuntimeError: CUDA out of memory\n```")
                .contains("1. ENABLE_ML_ENHANCED_SCHEDULING=false in ConfigMap orchestrator-dynamic-config (was true)")
                .contains("- [ ] Make the rollback stick: set `config.scheduler.enableMlEnhancedScheduling=false` in"
                        + " the Helm values")
                .contains("- [ ] Re-enable `ENABLE_ML_ENHANCED_SCHEDULING` in ConfigMap orchestrator-dynamic-config"
                        + " once a good model serves (the guardian does it after a verified promotion).")
                .contains("- Why did the training run fail, and would it fail again?")
                .contains("| PagerDuty dedup key | `model-guardian/neural-hive/orchestrator-dynamic-ml-training/"
                        + "r1763953200` |");
    }

    @Test
    void givenAPromotionThatFailedValidation_whenDrafted_thenEachCheckHasTheCandidateAndServingValues() {
        Verdict verdict = new Verdict(T0.plusSeconds(1450), false, List.of(new Verdict.ModelVerdict(
                "ticket-duration-predictor", Optional.of("8"), "registered since the Job started", false,
                List.of(new Verdict.Check("mae_percentage", "< 15", Optional.of(16.2), Optional.empty(), false,
                        "mae_percentage 16.2 < 15: no"), new Verdict.Check("mae_percentage",
                                "regression <= 5% vs v7 (11.8)", Optional.of(16.2), Optional.of(11.8), false,
                                "mae_percentage 16.2 vs v7 11.8: 37% worse")), Optional.empty())));
        HistoryEntry entry = new HistoryEntry("r1763953200", Optional.of(JOB), T0, T0.plusSeconds(1530),
                HistoryEntry.Outcome.ROLLED_BACK, "validation failed", List.of(MAE), Optional.of(verdict), List.of(),
                timeline(RemediationState.FIRING, RemediationState.RETRAINING, RemediationState.VALIDATING,
                        RemediationState.ROLLING_BACK, RemediationState.ROLLED_BACK));

        String md = draft(entry);

        assertThat(md).contains("At 2026-11-24T03:24:10Z: **failed**.")
                .contains("| ticket-duration-predictor | v8 | mae_percentage < 15 | 16.2 | - | failed |")
                .contains("| ticket-duration-predictor | v8 | mae_percentage regression <= 5% vs v7 (11.8) | 16.2 |"
                        + " 11.8 | failed |")
                .contains("| MLflow ticket-duration-predictor | candidate v8 |")
                .contains("- Why was the retrained candidate worse than the serving version?")
                .doesNotContain("Why did the training run fail");
    }

    @Test
    void givenAnEntryWrittenBeforeTimelinesWereKept_whenDrafted_thenTheWindowStartsAtTheDecisionAndSaysSo() {
        HistoryEntry entry = new HistoryEntry("r1763953200", Optional.of(JOB), T0, T0.plusSeconds(1500),
                HistoryEntry.Outcome.RETRAINED, "training Job " + JOB + " complete", List.of(MAE));

        String md = draft(entry);

        assertThat(md).contains("| first breach the guardian saw fire | 2026-11-24T03:00:00Z |")
                .contains("Not recorded (the remediation was written by a version that kept no timeline).")
                .contains("Outcome: **retrained** after 25m")
                .contains("The training's own gate was trusted (no registry step): the guardian did not verify the"
                        + " signals after it.")
                .contains("- [ ] Watch the signals for another day")
                .doesNotContain("Make the rollback stick");
    }

    @Test
    void givenTheSignalsOverTheWindow_whenDrafted_thenEachHasItsWorstValueItsEndAndTheTimePastItsTrigger() {
        HistoryEntry entry = new HistoryEntry("r1763953200", Optional.of(JOB), T0, T0.plusSeconds(1500),
                HistoryEntry.Outcome.RETRAINED, "training Job " + JOB + " complete", List.of(MAE))
                .withTimeline(timeline(RemediationState.FIRING, RemediationState.RETRAINING,
                        RemediationState.VALIDATING, RemediationState.HEALTHY));
        dev.modelguardian.core.policy.Policy mae = new dev.modelguardian.core.policy.Policy(
                "ticket-duration-predictor", "mae-ratio", Query.promql(
                        "orchestration_ml_drift_score"), new dev.modelguardian.core.policy.Bound(
                                dev.modelguardian.core.policy.Direction.ABOVE, 1.5, java.util.OptionalDouble.empty()),
                Duration.ZERO, dev.modelguardian.core.signal.Reduce.MAX,
                dev.modelguardian.core.policy.NoDataPolicy.INCONCLUSIVE, "");
        List<dev.modelguardian.core.signal.TimedObservation> points = new java.util.ArrayList<>();
        double[] values = { 1.1, 1.72, 1.9, 1.6, 1.2 };
        for (int i = 0; i < values.length; i++) {
            points.add(new dev.modelguardian.core.signal.TimedObservation(FIRED.plusSeconds(600L * i),
                    dev.modelguardian.core.signal.Observation.of(values[i])));
        }
        points.add(new dev.modelguardian.core.signal.TimedObservation(FIRED.plusSeconds(3000),
                dev.modelguardian.core.signal.Observation.noData()));

        String md = draft(entry, List.of(new SignalWindow(mae, points, Optional.empty()),
                new SignalWindow(mae, List.of(), Optional.of("prometheus did not answer: connection refused"))));

        assertThat(md).contains("## Signals over the incident window\n\nFrom 2026-11-24T02:27:00Z to"
                + " 2026-11-24T03:55:00Z (30m either side of the first breach and the end)")
                .contains("| ticket-duration-predictor/mae-ratio | > 1.5 | 1.9 | 2026-11-24T03:17:00Z | 1.2 | 30m"
                        + " (1 of 6 points inconclusive) |")
                .contains("| ticket-duration-predictor/mae-ratio | > 1.5 | unavailable: prometheus did not answer:"
                        + " connection refused | | | |");
    }

    @Test
    void givenASignalSplitByFeature_whenDrafted_thenTheInputsThatMovedMostAreListedWorstFirstTenAtMost() {
        HistoryEntry entry = new HistoryEntry("r1763953200", Optional.of(JOB), T0, T0.plusSeconds(1500),
                HistoryEntry.Outcome.RETRAINED, "training Job " + JOB + " complete", List.of(MAE))
                .withTimeline(timeline(RemediationState.FIRING, RemediationState.RETRAINING,
                        RemediationState.HEALTHY));
        dev.modelguardian.core.policy.Policy psi = new dev.modelguardian.core.policy.Policy(
                "ticket-duration-predictor", "feature-psi", Query.promql(
                        "max(psi)"), dev.modelguardian.core.policy.Bound.above(0.25), Duration.ZERO,
                dev.modelguardian.core.signal.Reduce.MAX, dev.modelguardian.core.policy.NoDataPolicy.INCONCLUSIVE, "",
                Optional.of("feature"));
        List<InputDrift.Input> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inputs.add(new InputDrift.Input("f" + i, 0.4 - i * 0.02, FIRED.plusSeconds(60L * i), 0.1));
        }
        SignalWindow window = new SignalWindow(psi, List.of(new dev.modelguardian.core.signal.TimedObservation(
                FIRED, dev.modelguardian.core.signal.Observation.of(0.4))), Optional.empty());

        String md = new PostmortemDraft("neural-hive", "the state ConfigMap neural-hive/model-guardian-state", TARGET,
                entry, Optional.empty(), List.of(window), List.of(new InputDrift(psi, "feature", inputs,
                        Optional.empty()), InputDrift.unavailable(psi, "segment", "the query is\nnot max(...)")),
                T0.plusSeconds(7200)).markdown();

        assertThat(md).contains("## Inputs that moved most\n\n`ticket-duration-predictor/feature-psi` by `feature`,"
                + " worst first (bound > 0.25):\n\n| feature | worst | at | at the end | past the trigger |\n")
                .contains("| f0 | 0.4 | " + FIRED + " | 0.1 | yes |\n")
                .contains("| f7 | 0.26 | " + FIRED.plusSeconds(420) + " | 0.1 | yes |\n")
                .contains("| f8 | 0.24 | " + FIRED.plusSeconds(480) + " | 0.1 | no |\n")
                .doesNotContain("| f10 |").contains("\nAnd 2 more.\n")
                .contains("`ticket-duration-predictor/feature-psi` by `segment`: unavailable: the query is not"
                        + " max(...).\n");
    }

    @Test
    void givenTheCandidatesReadFromTheRegistry_whenDrafted_thenEachHasItsStageAliasesStatusAndRunOrWhyNot() {
        dev.modelguardian.core.registry.ModelVersion v13 = new dev.modelguardian.core.registry.ModelVersion(
                "ticket_duration_predictor", "13", T0, "Production",
                dev.modelguardian.core.registry.ModelVersion.Status.READY, Optional.of("9f2c"), List.of("champion"));
        RegistryVersions registry = new RegistryVersions(List.of(
                new RegistryVersions.Row("ticket-duration-predictor", "ticket_duration_predictor", "13",
                        Optional.of(v13), Optional.of(new dev.modelguardian.core.registry.Run("9f2c", "7", "FINISHED",
                                Map.of())), Optional.empty()),
                new RegistryVersions.Row("ticket-anomaly-detector", "ticket-anomaly-detector", "4", Optional.empty(),
                        Optional.empty(), Optional.of("version unavailable: MLflow unreachable"))));
        HistoryEntry entry = new HistoryEntry("r1763953200", Optional.of(JOB), T0, T0.plusSeconds(1500),
                HistoryEntry.Outcome.PROMOTED, "verified", List.of(MAE));

        String md = new PostmortemDraft("neural-hive", "the state ConfigMap neural-hive/model-guardian-state", TARGET,
                entry, Optional.empty(), List.of(), List.of(), Optional.of(registry), T0.plusSeconds(7200))
                .markdown();

        assertThat(md).contains("## Model versions in the registry now\n\nAs the registry showed them at "
                + T0.plusSeconds(7200) + ":\n\n| model | version | stage | aliases | status | run | run status |\n")
                .contains("| ticket_duration_predictor | v13 | Production | champion | READY | `9f2c` | FINISHED"
                        + " (experiment 7) |\n")
                .contains("| ticket-anomaly-detector | v4 | version unavailable: MLflow unreachable | | | | |\n");
        assertThat(md.indexOf("## Model versions in the registry now")).isGreaterThan(md.indexOf("## Validation"))
                .isLessThan(md.indexOf("## Actions the guardian took"));
    }

    @Test
    void givenARemediationThatTrainedValidatedAndRolledBack_whenSummarised_thenEachStepIsSetAgainstTheRunbookByHand() {
        Timeline timeline = new Timeline(List.of(new Timeline.Mark(RemediationState.FIRING, T0),
                new Timeline.Mark(RemediationState.RETRAINING, T0.plusSeconds(60)),
                new Timeline.Mark(RemediationState.VALIDATING, T0.plusSeconds(60 + 1680)),
                new Timeline.Mark(RemediationState.ROLLING_BACK, T0.plusSeconds(60 + 1680 + 40)),
                new Timeline.Mark(RemediationState.ROLLED_BACK, T0.plusSeconds(60 + 1680 + 40 + 3))),
                Optional.empty());
        HistoryEntry entry = new HistoryEntry("r1763953200", Optional.of(JOB), T0.plusSeconds(60),
                T0.plusSeconds(1783), HistoryEntry.Outcome.ROLLED_BACK, "validation failed", List.of(MAE))
                .withTimeline(timeline);

        assertThat(draft(entry)).contains("Outcome: **rolled_back** after 29m43s from the first breach. Against the"
                + " runbook's own estimates by hand: Job running 28m (runbook 15-30 min), validation 40s (runbook 5"
                + " min), rollback 3s (runbook 2 min).");
    }
}
