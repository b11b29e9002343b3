package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

@QuarkusMainTest
class ReplayCommandTest {

    @Test
    @Launch("replay")
    void givenNoArgument_whenReplayed_thenTheDriftIncidentIsRetrainedPromotedAndVerifiedOnTheTimeline(
            LaunchResult result) {
        assertThat(result.getOutput())
                .contains("Scenario drift-incident:")
                .contains("World: training Jobs succeed after 40m; MLflow holds ticket-anomaly-detector,"
                        + " ticket-duration-predictor and training registers candidates; live signals change 3m"
                        + " after a promotion")
                .containsPattern("\\+1:04\\s+ticket-duration-predictor/feature-psi\\s+HEALTHY -> FIRING\\s+0.262\\s+"
                        + "> 0.25 \\(clear <= 0.2\\)\\s+fires; training target orchestrator-dynamic-ml-training")
                .containsPattern("\\+1:04\\s+orchestrator-dynamic-ml-training\\s+job\\s+Job ml-retrain-emergency-"
                        + "1771031040 created from CronJob orchestrator-dynamic-ml-training")
                .containsPattern("\\+1:44\\s+world\\s+world\\s+Job ml-retrain-emergency-1771031040 complete;"
                        + " registered ticket-anomaly-detector v5 \\(precision 0.82\\), ticket-duration-predictor v8")
                .containsPattern("\\+1:44\\s+orchestrator-dynamic-ml-training\\s+action\\s+ticket-duration-predictor"
                        + " v8 -> stage Production \\(was v7\\)")
                .containsPattern("\\+1:49\\s+orchestrator-dynamic-ml-training\\s+VERIFYING -> HEALTHY\\s+verified:")
                .containsPattern("ticket-duration-predictor/feature-psi\\s+3h17m\\s+0s\\s+43m\\s+0s\\s+1")
                .contains("Signals began firing 1 time.")
                .contains("Target orchestrator-dynamic-ml-training: 1 retraining Job started; remediations ended:"
                        + " promoted 1.")
                .contains("time in each state: HEALTHY 3h1m, PENDING 14m, RETRAINING 40m, VERIFYING 5m");
        assertThat(result.getErrorOutput()).doesNotContain("INFO");
        assertThat(java.util.logging.Logger.getLogger("dev.modelguardian").getLevel())
                .as("the level is put back: later commands in this JVM log as configured").isNull();
    }

    @Test
    @Launch({ "replay", "bad-candidate" })
    void givenBadCandidate_whenReplayed_thenTheRollbackAndItsHelmValueArePrinted(LaunchResult result) {
        assertThat(result.getOutput())
                .containsPattern("\\+1:44\\s+orchestrator-dynamic-ml-training\\s+VALIDATING -> ROLLING_BACK\\s+"
                        + "validation failed:.*mae_percentage 17.9 not < 15")
                .containsPattern("\\+1:44\\s+orchestrator-dynamic-ml-training\\s+action\\s+ConfigMap"
                        + " orchestrator-dynamic-config: ENABLE_ML_ENHANCED_SCHEDULING true -> false")
                .contains("set config.scheduler.enableMlEnhancedScheduling=false in the Helm values")
                .contains("remediations ended: rolled_back 1.");
    }

    @Test
    void givenScenarioFileAndOwnModels_whenReplayed_thenOnlyTheOwnModelsAreUsed(QuarkusMainLauncher launcher,
            @TempDir Path dir) throws IOException {
        Path models = Files.writeString(dir.resolve("models.yaml"), """
                guardian:
                  models:
                    churn:
                      signals:
                        auc:
                          query: min(churn_auc)
                          below: 0.8
                """);
        Path scenario = Files.writeString(dir.resolve("scenario.yaml"), """
                name: churn-drop
                description: AUC drops below 0.8
                duration: 10m
                signals:
                  churn/auc:
                    - {at: 0m, value: 0.9}
                    - {at: 5m, value: 0.7}
                """);

        LaunchResult result = launcher.launch("replay", scenario.toString(), "--config", models.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).containsPattern("\\+0:05\\s+churn/auc\\s+HEALTHY -> FIRING\\s+0.7\\s+< 0.8\\s+"
                + "fires \\(no training target trains churn\\)");
    }

    @Test
    @Launch(value = { "replay", "no-such-scenario" }, exitCode = 3)
    void givenUnknownScenario_whenReplayed_thenExit3ListsTheBundledOnes(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("no bundled scenario 'no-such-scenario'; bundled: drift-incident,"
                + " bad-candidate, flapping, prometheus-gap, argo-retrain");
    }

    @Test
    @Launch({ "replay", "--list" })
    void givenList_whenRun_thenEveryBundledScenarioIsDescribed(LaunchResult result) {
        assertThat(result.getOutput()).contains("drift-incident", "bad-candidate", "flapping", "prometheus-gap",
                "argo-retrain");
    }

    @Test
    void givenBadCandidateAndPostmortem_whenReplayed_thenTheDraftHasTheChecksTheRollbackAndTheReplayedSignals(
            QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        Path draft = dir.resolve("postmortem.md");

        LaunchResult result = launcher.launch("replay", "bad-candidate", "--postmortem", draft.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("Post-mortem draft written to " + draft);
        assertThat(Files.readString(draft))
                .startsWith("# Post-mortem draft: orchestrator-dynamic-ml-training, remediation r1771031040\n")
                .contains("Outcome: **rolled_back**")
                .contains("from what the replay of scenario bad-candidate (its state in memory) kept")
                .contains("| ticket-duration-predictor | v8 | mae_percentage < 15 | 17.9 |")
                .contains("ENABLE_ML_ENHANCED_SCHEDULING")
                .contains("- [ ] Make the rollback stick: set `config.scheduler.enableMlEnhancedScheduling=false`")
                .containsPattern("\\| ticket-duration-predictor/feature-psi \\| > 0.25 \\(clear <= 0.2\\) \\| 0\\.\\d+ \\|");
        assertThat(Files.readString(draft)).as("docs/postmortem-sample.md is this draft; regenerate it with ./dev run"
                + " replay bad-candidate --postmortem docs/postmortem-sample.md")
                .isEqualTo(Files.readString(Path.of("docs/postmortem-sample.md")));
    }

    @Test
    void givenAScenarioInWhichNothingEnds_whenReplayedWithPostmortem_thenExit3AndNoFile(QuarkusMainLauncher launcher,
            @TempDir Path dir) {
        Path draft = dir.resolve("postmortem.md");

        LaunchResult result = launcher.launch("replay", "prometheus-gap", "--postmortem", draft.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("--postmortem: no remediation ended in the replay");
        assertThat(draft).doesNotExist();
    }
}
