package dev.modelguardian.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.testing.TestConfigs;

class ReplayTest {

    static final ModelSet NEURAL_HIVE = ModelSet.resolve(TestConfigs.settings(""));
    /** The remediation guards of the default configuration (cooldown 6h, 3 a day, no approval, Job timeout 45m). */
    static final RemediationPolicy GUARDS = KubeBeans.remediationPolicy(TestConfigs.fromYaml(""));
    static final String MAE = "ticket-duration-predictor/mae-percentage";
    static final String PSI = "ticket-duration-predictor/feature-psi";
    static final String PRECISION = "ticket-anomaly-detector/precision";
    static final String RATIO = "ticket-duration-predictor/mae-ratio";

    static Replay.Result replay(String bundled) {
        return Replay.run(Scenario.bundled(bundled), Policies.from(NEURAL_HIVE), NEURAL_HIVE, ReplayTest.GUARDS);
    }

    /** "+h:mm STATE" for each change of one signal. */
    static List<String> changes(Replay.Result result, String signal) {
        return result.eventsOf(signal).stream()
                .map(e -> String.format("%d:%02d %s", e.offset().toHours(), e.offset().toMinutesPart(), e.to()))
                .toList();
    }

    /** "+h:mm kind" for each remediation step and world event. */
    static List<String> steps(Replay.Result result) {
        return result.steps().stream()
                .map(s -> String.format("%d:%02d %s", s.offset().toHours(), s.offset().toMinutesPart(), s.kind()))
                .toList();
    }

    static Replay.Step step(Replay.Result result, String kind) {
        return result.steps().stream().filter(s -> s.kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void givenDriftIncident_whenReplayed_thenPsiFiresRetrainingIsValidatedPromotedAndVerifiedAsTheSignalsRecover() {
        Replay.Result result = replay("drift-incident");

        assertThat(changes(result, PSI)).containsExactly("0:00 HEALTHY", "1:04 FIRING", "1:47 HEALTHY");
        assertThat(changes(result, MAE)).containsExactly("0:00 HEALTHY", "0:50 PENDING", "1:47 HEALTHY");
        assertThat(changes(result, PRECISION)).containsExactly("0:00 HEALTHY");
        assertThat(result.eventsOf(PSI).get(1).note()).isEqualTo("fires; training target orchestrator-dynamic-ml-training");
        assertThat(steps(result)).containsExactly("0:50 pending", "1:04 firing", "1:04 retraining", "1:04 snapshot",
                "1:04 job", "1:44 world", "1:44 validating", "1:44 promoting", "1:44 action", "1:44 action",
                "1:44 action", "1:44 verifying", "1:47 world", "1:49 healthy");
        assertThat(step(result, "snapshot").what()).isEqualTo("snapshot taken: ticket-anomaly-detector v4,"
                + " ticket-duration-predictor v7, ENABLE_ML_ENHANCED_SCHEDULING=true");
        assertThat(step(result, "promoting").what()).startsWith("validation passed:")
                .contains("ticket-duration-predictor v8 passed (mae_percentage 11.6 < 15, mae_percentage 11.6 vs v7"
                        + " 12.1: not worse)");
        assertThat(result.steps()).filteredOn(s -> s.kind().equals("action")).extracting(Replay.Step::what)
                .containsExactly("ticket-anomaly-detector v5 -> stage Production (was v4)",
                        "ticket-duration-predictor v8 -> stage Production (was v7)",
                        "Deployment orchestrator-dynamic restarted (restartedAt 2026-02-14T01:44:00Z)");
        assertThat(step(result, "healthy").what()).isEqualTo("verified: every signal within bounds for 5m");
        assertThat(result.targets()).singleElement().satisfies(t -> {
            assertThat(t.started()).isEqualTo(1);
            assertThat(t.history()).extracting(HistoryEntry::outcome).containsExactly(HistoryEntry.Outcome.PROMOTED);
            assertThat(t.timeIn()).containsEntry(RemediationState.RETRAINING, Duration.ofMinutes(40))
                    .containsEntry(RemediationState.VERIFYING, Duration.ofMinutes(5))
                    .doesNotContainKey(RemediationState.ROLLING_BACK);
        });
        assertThat(result.summaries()).filteredOn(s -> s.signal().equals(PSI)).singleElement().satisfies(s -> {
            assertThat(s.firings()).isEqualTo(1);
            assertThat(s.timeIn().get(PolicyState.FIRING)).isEqualTo(Duration.ofMinutes(43));
        });
    }

    @Test
    void givenArgoRetrain_whenReplayed_thenAWorkflowFromTheTemplateTrainsAndEveryStepNamesItAsAWorkflow() {
        Replay.Result result = replay("argo-retrain");

        assertThat(steps(result)).containsExactly("0:50 pending", "1:04 firing", "1:04 retraining", "1:04 snapshot",
                "1:04 job", "1:44 world", "1:44 validating", "1:44 promoting", "1:44 action", "1:44 action",
                "1:44 action", "1:44 verifying", "1:47 world", "1:49 healthy");
        assertThat(step(result, "retraining").what()).matches("retraining: Workflow ml-retrain-emergency-\\d+ to be"
                + " created from WorkflowTemplate orchestrator-ml-retrain");
        assertThat(step(result, "job").what()).matches("Workflow ml-retrain-emergency-\\d+ created from"
                + " WorkflowTemplate orchestrator-ml-retrain");
        assertThat(step(result, "world").what()).matches("Workflow ml-retrain-emergency-\\d+ complete; registered .*");
        assertThat(result.steps()).noneMatch(s -> s.what().contains("Job ") || s.what().contains("CronJob"));
        assertThat(result.targets()).singleElement().satisfies(t -> {
            assertThat(t.runKind()).isEqualTo("Workflow");
            assertThat(t.started()).isEqualTo(1);
            assertThat(t.history()).extracting(HistoryEntry::outcome).containsExactly(HistoryEntry.Outcome.PROMOTED);
        });
    }

    @Test
    void givenAScenarioTrainedThroughAPipelineService_whenReplayed_thenEveryStepNamesTheRunAndThePipeline()
            throws java.io.IOException {
        String argo;
        try (var in = ReplayTest.class.getResourceAsStream("/scenarios/argo-retrain.yaml")) {
            argo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Scenario http = Scenario.parse(argo.replace("trigger: argo-workflow", "trigger: http"), "http-retrain.yaml");

        Replay.Result result = Replay.run(http, Policies.from(NEURAL_HIVE), NEURAL_HIVE, ReplayTest.GUARDS);

        assertThat(step(result, "job").what()).matches("run ml-retrain-emergency-\\d+ created from Pipeline"
                + " orchestrator-ml-retrain");
        assertThat(step(result, "world").what()).matches("run ml-retrain-emergency-\\d+ complete; registered .*");
        assertThat(result.steps()).noneMatch(s -> s.what().contains("Job ") || s.what().contains("Workflow"));
        assertThat(result.targets()).singleElement().satisfies(t -> {
            assertThat(t.runKind()).isEqualTo("run");
            assertThat(t.history()).extracting(HistoryEntry::outcome).containsExactly(HistoryEntry.Outcome.PROMOTED);
        });
    }

    @Test
    void givenBadCandidate_whenReplayed_thenValidationRejectsItAndTheRollbackTurnsTheFlagOffAndNamesTheHelmValue() {
        Replay.Result result = replay("bad-candidate");

        assertThat(steps(result)).containsExactly("0:50 pending", "1:04 firing", "1:04 retraining", "1:04 snapshot",
                "1:04 job", "1:44 world", "1:44 validating", "1:44 rolling-back", "1:44 action", "1:44 action",
                "1:44 action", "1:44 action", "1:44 rolled-back");
        assertThat(step(result, "rolling-back").what()).startsWith("validation failed:")
                .contains("ticket-duration-predictor v8 failed (mae_percentage 17.9 not < 15, mae_percentage 17.9 vs"
                        + " v7 12.1: 47.93% worse (more than 5%))");
        assertThat(result.steps()).filteredOn(s -> s.kind().equals("action")).extracting(Replay.Step::what)
                .containsExactly("ConfigMap orchestrator-dynamic-config: ENABLE_ML_ENHANCED_SCHEDULING true -> false",
                        "ticket-anomaly-detector v4 -> stage Production (already serving)",
                        "ticket-duration-predictor v7 -> stage Production (already serving)",
                        "Deployment orchestrator-dynamic restarted (restartedAt 2026-02-14T01:44:00Z)");
        assertThat(step(result, "rolled-back").what())
                .contains("set config.scheduler.enableMlEnhancedScheduling=false in the Helm values");
        assertThat(result.steps()).noneMatch(s -> s.what().contains("(was v7)"));
        assertThat(result.targets()).singleElement().satisfies(t -> {
            assertThat(t.history()).extracting(HistoryEntry::outcome)
                    .containsExactly(HistoryEntry.Outcome.ROLLED_BACK);
            assertThat(t.timeIn()).containsEntry(RemediationState.ROLLED_BACK, Duration.ofMinutes(136));
        });
    }

    @Test
    void givenFlappingSignal_whenReplayed_thenForAbsorbsTheFlapsAndHysteresisHoldsTheRealBreach() {
        Replay.Result result = replay("flapping");

        assertThat(changes(result, MAE)).containsExactly("0:00 HEALTHY", "0:10 PENDING", "0:25 HEALTHY",
                "0:30 PENDING", "1:10 HEALTHY", "1:15 PENDING", "2:00 HEALTHY", "2:05 PENDING", "3:05 FIRING",
                "3:30 HEALTHY");
        assertThat(result.summaries().getFirst().firings()).isEqualTo(1);
        // Only the real breach retrains; with no registry in this world the Job's own gate is trusted.
        assertThat(steps(result)).filteredOn(s -> !s.endsWith("pending") && !s.endsWith("healthy"))
                .containsExactly("3:05 firing", "3:05 retraining", "3:05 snapshot", "3:05 job", "3:35 world",
                        "3:35 validating");
        assertThat(result.targets().getFirst().history()).extracting(HistoryEntry::outcome)
                .containsExactly(HistoryEntry.Outcome.RETRAINED);
    }

    @Test
    void givenPrometheusGap_whenReplayed_thenSignalsAreInconclusiveNeverFireAndRecoverWhenDataReturns() {
        Replay.Result result = replay("prometheus-gap");

        assertThat(changes(result, PRECISION)).containsExactly("0:00 HEALTHY", "0:20 INCONCLUSIVE", "1:15 HEALTHY");
        assertThat(changes(result, RATIO)).containsExactly("0:00 HEALTHY", "0:20 INCONCLUSIVE", "1:00 HEALTHY");
        assertThat(result.events()).noneMatch(e -> e.to() == PolicyState.FIRING);
        assertThat(result.eventsOf(PRECISION).get(1).note()).isEqualTo("no data");
        assertThat(result.summaries()).filteredOn(s -> s.signal().equals(PRECISION)).singleElement()
                .satisfies(s -> assertThat(s.timeIn().get(PolicyState.INCONCLUSIVE)).isEqualTo(Duration.ofMinutes(55)));
        assertThat(result.steps()).isEmpty();
        assertThat(result.targets().getFirst().started()).isZero();
    }

    static final ModelSet SCRAPED = ModelSet.resolve(TestConfigs.settings("""
            guardian:
              models:
                m:
                  signals:
                    mae:
                      source: scrape
                      metric: model_mae
                      labels: {model: m}
                      above: 20
                    psi:
                      source: scrape
                      metric: model_psi
                      labels: {model: m}
                      above: 0.25
            """));

    @Test
    void givenScrapeSignals_whenReplayed_thenEachReadsItsOwnScriptThroughTheScrapeSource() {
        Scenario s = Scenario.parse("""
                name: scraped
                duration: 30m
                signals:
                  m/mae:
                    - {at: 0m, value: 10}
                    - {at: 10m, value: 30}
                  m/psi:
                    - {at: 0m, value: 0.1}
                """, "scraped.yaml");

        Replay.Result result = Replay.run(s, Policies.from(SCRAPED), SCRAPED, GUARDS);

        assertThat(changes(result, "m/mae")).containsExactly("0:00 HEALTHY", "0:10 FIRING");
        assertThat(changes(result, "m/psi")).containsExactly("0:00 HEALTHY");
    }

    @Test
    void givenOneScrapeSignalScriptedToFail_whenReplayed_thenTheWholeScrapeFailsAsAFailedFetchWould() {
        Scenario s = Scenario.parse("""
                name: exporter-down
                duration: 30m
                signals:
                  m/mae:
                    - {at: 0m, value: 10}
                  m/psi:
                    - {at: 0m, value: 0.1}
                    - {at: 10m, error: "connection refused"}
                """, "exporter-down.yaml");

        Replay.Result result = Replay.run(s, Policies.from(SCRAPED), SCRAPED, GUARDS);

        assertThat(changes(result, "m/psi")).containsExactly("0:00 HEALTHY", "0:10 INCONCLUSIVE");
        assertThat(changes(result, "m/mae")).containsExactly("0:00 HEALTHY", "0:10 INCONCLUSIVE");
    }

    @Test
    void givenTwoSignalsWithTheSameQuery_whenReplayed_thenRefusedNamingBothSinceTheirScriptsCannotBeToldApart() {
        ModelSet twice = ModelSet.resolve(TestConfigs.settings("""
                guardian:
                  models:
                    a:
                      signals:
                        mae: {source: scrape, metric: model_mae, labels: {model: m}, above: 20}
                    b:
                      signals:
                        mae: {source: scrape, metric: model_mae, labels: {model: m}, above: 30}
                """));
        Scenario s = Scenario.parse("name: same\nduration: 10m\nsignals: {a/mae: [{at: 0m, value: 1}],"
                + " b/mae: [{at: 0m, value: 2}]}", "same.yaml");

        assertThatThrownBy(() -> Replay.run(s, Policies.from(twice), twice, GUARDS))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("signals.b/mae: has the same query as a/mae, so a replay cannot tell them apart; script"
                        + " one of them");
    }

    @Test
    void givenRampSegment_whenObserved_thenValueIsInterpolatedUntilTheNextSegment() {
        Scenario s = Scenario.parse("""
                name: ramp
                duration: 1h
                signals:
                  a/b:
                    - {at: 0m, ramp: [10, 20]}
                    - {at: 10m, value: 5}
                """, "test");

        assertThat(s.observe("a/b", Duration.ofMinutes(5))).isEqualTo(dev.modelguardian.core.signal.Observation.of(15));
        assertThat(s.observe("a/b", Duration.ofMinutes(10))).isEqualTo(dev.modelguardian.core.signal.Observation.of(5));
    }

    @Test
    void givenScenarioNamingAnUnknownSignal_whenReplayed_thenErrorListsTheKnownSignals() {
        Scenario s = Scenario.parse("""
                name: typo
                duration: 1h
                signals:
                  ticket-duration-predictor/mae-percent:
                    - {at: 0m, value: 1}
                """, "typo.yaml");

        assertThatThrownBy(() -> Replay.run(s, Policies.from(NEURAL_HIVE), NEURAL_HIVE, ReplayTest.GUARDS))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("signals.ticket-duration-predictor/mae-percent: no such signal")
                .hasMessageContaining("ticket-duration-predictor/mae-percentage");
    }

    @Test
    void givenSegmentWithTwoKinds_whenParsed_thenErrorNamesTheSegment() {
        assertThatThrownBy(() -> Scenario.parse("""
                name: bad
                duration: 1h
                signals:
                  a/b:
                    - {at: 0m, value: 1, gap: true}
                """, "bad.yaml"))
                .hasMessage("bad.yaml: signals.a/b[0]: set exactly one of value, ramp, gap, nan or error");
    }

    @Test
    void givenSegmentsOutOfOrder_whenParsed_thenErrorNamesTheField() {
        assertThatThrownBy(() -> Scenario.parse("""
                name: bad
                duration: 1h
                signals:
                  a/b:
                    - {at: 10m, value: 1}
                    - {at: 5m, value: 2}
                """, "bad.yaml"))
                .hasMessage("bad.yaml: signals.a/b[1].at: segments must be in increasing 'at' order");
    }

    @Test
    void givenMissingDurationOrBadStep_whenParsed_thenErrorSaysWhatToWrite() {
        assertThatThrownBy(() -> Scenario.parse("name: x\nsignals: {a/b: [{at: 0m, value: 1}]}", "x.yaml"))
                .hasMessage("x.yaml: 'duration' is required (a duration such as 30m)");
        assertThatThrownBy(() -> Scenario.parse("name: x\nduration: 1h\nstep: soon\nsignals: {a/b: [{at: 0m, value: 1}]}",
                "x.yaml"))
                .hasMessageContaining("x.yaml.step: 'soon' is not a duration");
    }
}
