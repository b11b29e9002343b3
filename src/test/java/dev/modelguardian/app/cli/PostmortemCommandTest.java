package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth.FiredSignal;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.core.remediation.Verdict;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.MlflowStandIn;

/**
 * {@code postmortem} against the fabric8 mock server in CRUD mode holding a state ConfigMap with two finished
 * remediations of Neural Hive's target: one whose training failed (its log kept), one retrained.
 */
@QuarkusMainTest
class PostmortemCommandTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final Instant T1 = T0.plusSeconds(8 * 3600);
    static final String FAILED_JOB = "ml-retrain-emergency-" + T0.getEpochSecond();

    static KubernetesMockServer server;

    @TempDir
    static Path dir;
    static Path config;

    KubernetesClient client;

    @BeforeAll
    static void startCluster() throws IOException {
        server = MainTestCluster.start();
        config = Files.writeString(dir.resolve("guardian.yaml"), "guardian:\n  namespace: " + NAMESPACE + "\n");
    }

    @AfterAll
    static void stopCluster() {
        MainTestCluster.stop(server);
    }

    @BeforeEach
    void setUp() {
        client = server.createClient();
        dev.modelguardian.testing.NeuralHive.deleteState(client);
        FiredSignal mae = new FiredSignal("ticket-duration-predictor", "mae-ratio", 1.72, "> 1.5 (clear <= 1.3)");
        HistoryEntry failed = new HistoryEntry("r" + T0.getEpochSecond(), Optional.of(FAILED_JOB), T0,
                T0.plusSeconds(720), HistoryEntry.Outcome.ROLLED_BACK, "Job " + FAILED_JOB
                        + " failed: BackoffLimitExceeded; rolled back", List.of(mae), Optional.empty(), List.of(),
                new Timeline(List.of(new Timeline.Mark(RemediationState.FIRING, T0.minusSeconds(120)),
                        new Timeline.Mark(RemediationState.RETRAINING, T0),
                        new Timeline.Mark(RemediationState.ROLLING_BACK, T0.plusSeconds(700)),
                        new Timeline.Mark(RemediationState.ROLLED_BACK, T0.plusSeconds(720))),
                        Optional.of(new Timeline.Approval(Timeline.AUTO, T0))), Optional.empty(),
                Optional.of(LogTail.of("pod " + FAILED_JOB + "-x7k2p container ml-training",
                        List.of("RuntimeError: CUDA out of memory"), false)));
        HistoryEntry retrained = new HistoryEntry("r" + T1.getEpochSecond(),
                Optional.of("ml-retrain-emergency-" + T1.getEpochSecond()), T1, T1.plusSeconds(1500),
                HistoryEntry.Outcome.RETRAINED, "training Job complete", List.of(mae));
        TargetState now = new TargetState(RemediationState.HEALTHY, T1.plusSeconds(1500), Optional.empty(),
                Optional.empty(), false, List.of(), false, List.of(T0, T1), Optional.of(T1.plusSeconds(1500)));
        TargetRecord record = new TargetRecord(9, now, "training Job complete", Progress.EMPTY, Map.of(),
                List.of(failed, retrained));
        assertThat(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").compareAndSet(CRON_JOB, 0,
                record)).isTrue();
    }

    @Test
    void givenAFailedRemediationById_whenDrafted_thenStdoutIsItsMarkdownWithTheLogAndTheIncidentKey(
            QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("postmortem", "--config", config.toString(), "--target", CRON_JOB,
                "--remediation", "r" + T0.getEpochSecond());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        assertThat(result.getOutput())
                .contains("# Post-mortem draft: " + CRON_JOB + ", remediation r" + T0.getEpochSecond())
                .contains("Outcome: **rolled_back** after 14m from the first breach.")
                .contains("```\nRuntimeError: CUDA out of memory\n```")
                .contains("- [ ] Make the rollback stick: set `config.scheduler.enableMlEnhancedScheduling=false`")
                .contains("| PagerDuty dedup key | `model-guardian/neural-hive/" + CRON_JOB + "/r" + T0.getEpochSecond()
                        + "` |");
    }

    @Test
    void givenNoRemediationAsked_whenDraftedToAFile_thenTheLatestIsWrittenThereAndStderrSaysWhere(
            QuarkusMainLauncher launcher) throws IOException {
        Path out = dir.resolve("postmortem.md");

        LaunchResult result = launcher.launch("postmortem", "--config", config.toString(), "--target", CRON_JOB,
                "--out", out.toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        assertThat(Files.readString(out)).startsWith("# Post-mortem draft: " + CRON_JOB + ", remediation r"
                + T1.getEpochSecond() + "\n").contains("Outcome: **retrained**");
        assertThat(result.getErrorOutput()).contains("draft of remediation r" + T1.getEpochSecond() + " written to "
                + out);
    }

    @Test
    void givenAnIdTheStateDoesNotKeep_whenDrafted_thenExit3ListingTheIdsItKeeps(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("postmortem", "--config", config.toString(), "--target", CRON_JOB,
                "--remediation", "r1");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("model-guardian: postmortem: target " + CRON_JOB + " has no"
                + " finished remediation r1; the state keeps [r" + T0.getEpochSecond() + ", r" + T1.getEpochSecond()
                + "]");
        assertThat(result.getOutput()).doesNotContain("# Post-mortem");
    }

    @Test
    void givenAnUnknownTarget_whenDrafted_thenExit3NamingTheKnownTargets(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("postmortem", "--config", config.toString(), "--target", "nope");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("no training target 'nope'; known targets: [" + CRON_JOB + "]");
    }

    @Test
    void givenATargetWithNothingFinished_whenDrafted_thenExit3SayingSo(QuarkusMainLauncher launcher) {
        dev.modelguardian.testing.NeuralHive.deleteState(client);

        LaunchResult result = launcher.launch("postmortem", "--config", config.toString(), "--target", CRON_JOB);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("target " + CRON_JOB + " has no finished remediation yet");
    }

    @Test
    void givenAPromotedCandidateAndMlflow_whenDrafted_thenTheVersionIsShownAsTheRegistryHasItNow(
            QuarkusMainLauncher launcher) throws IOException {
        MlflowStandIn mlflow = MlflowStandIn.startNew();
        try {
            mlflow.model("ticket-duration-predictor").productionVersion("13", Map.of("mae_percentage", 11.2));
            mlflow.model("ticket-anomaly-detector");
            Verdict verdict = new Verdict(T1, true, List.of(
                    new Verdict.ModelVerdict("ticket-duration-predictor", Optional.of("13"), "serving v12", true,
                            List.of(), Optional.empty()),
                    new Verdict.ModelVerdict("ticket-anomaly-detector", Optional.of("4"), "serving v3", true,
                            List.of(), Optional.empty())));
            HistoryEntry promoted = new HistoryEntry("r" + T1.getEpochSecond(), Optional.of("ml-retrain-emergency-"
                    + T1.getEpochSecond()), T1, T1.plusSeconds(1500), HistoryEntry.Outcome.PROMOTED, "verified",
                    List.of(), Optional.of(verdict), List.of());
            dev.modelguardian.testing.NeuralHive.deleteState(client);
            assertThat(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").compareAndSet(CRON_JOB, 0,
                    new TargetRecord(3, TargetState.healthy(T1.plusSeconds(1500)), "verified", Progress.EMPTY,
                            Map.of(), List.of(promoted)))).isTrue();
            Path withMlflow = Files.writeString(dir.resolve("guardian-mlflow.yaml"), "guardian:\n  namespace: "
                    + NAMESPACE + "\n  mlflow:\n    url: " + mlflow.url() + "\n");

            LaunchResult result = launcher.launch("postmortem", "--config", withMlflow.toString(), "--target",
                    CRON_JOB);

            assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
            assertThat(result.getOutput()).contains("## Model versions in the registry now")
                    .containsPattern("\\| ticket-duration-predictor \\| v13 \\| Production \\| - \\| READY \\|"
                            + " `[0-9a-f]+` \\| FINISHED \\(experiment 1\\) \\|")
                    .containsPattern("\\| ticket-anomaly-detector \\| v4 \\| version unavailable: .+ \\| \\| \\|"
                            + " \\| \\|");
            assertThat(mlflow.requests("GET", "model-versions/get")).as("one read per candidate").hasSize(2);
        } finally {
            mlflow.stop();
        }
    }
}
