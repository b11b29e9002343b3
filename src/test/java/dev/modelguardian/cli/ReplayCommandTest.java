package dev.modelguardian.cli;

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
    void givenNoArgument_whenReplayed_thenTheBundledDriftIncidentTimelineIsPrinted(LaunchResult result) {
        assertThat(result.getOutput())
                .contains("Scenario drift-incident:")
                .containsPattern("\\+1:50\\s+ticket-duration-predictor/mae-percentage\\s+PENDING -> FIRING\\s+24\\s+"
                        + "> 20 for 1h \\(clear <= 18\\)\\s+fires; training target orchestrator-dynamic-ml-training")
                .containsPattern("ticket-duration-predictor/mae-percentage\\s+1h39m\\s+1h\\s+1h21m\\s+0s\\s+1")
                .contains("Signals began firing 2 times.");
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
                + " flapping, prometheus-gap");
    }

    @Test
    @Launch({ "replay", "--list" })
    void givenList_whenRun_thenEveryBundledScenarioIsDescribed(LaunchResult result) {
        assertThat(result.getOutput()).contains("drift-incident", "flapping", "prometheus-gap");
    }
}
