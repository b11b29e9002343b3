package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.app.replay.Scenario;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.RecordedHistory;
import dev.modelguardian.testing.TestConfigs;

/** {@code replay --report} and {@code replay --prometheus} end to end, as a user runs them. */
@QuarkusMainTest
class ReplayReportAndPrometheusCommandTest {

    static PrometheusServer prometheus;

    @BeforeAll
    static void startPrometheusWithTheRecordedDriftIncident() {
        ModelSet neuralHive = ModelSet.resolve(TestConfigs.settings(""));
        prometheus = PrometheusServer.withHistory(RecordedHistory.openMetrics(RecordedHistory.drift(),
                Policies.from(neuralHive), Duration.ofMinutes(1)));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    static long count(String text, String needle) {
        return Pattern.compile(Pattern.quote(needle)).matcher(text).results().count();
    }

    @Test
    void givenRecordedHistoryInPrometheus_whenReplayedOverItsPeriodWithAReport_thenThePoliciesFireWhenTheyDidAndEachSignalIsCharted(
            QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        Path report = dir.resolve("backtest.html");

        LaunchResult result = launcher.launch("replay", "--prometheus", prometheus.url(), "--from", "1771027200",
                "--to", "2026-02-14T04:00:00Z", "--step", "1m", "--report", report.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput())
                .contains("Scenario prometheus: Signals from " + prometheus.url() + ": 5 range queries")
                .containsPattern("\\+1:04\\s+ticket-duration-predictor/feature-psi\\s+HEALTHY -> FIRING\\s+0.262")
                .containsPattern("\\+1:50\\s+ticket-duration-predictor/mae-percentage\\s+PENDING -> FIRING\\s+24\\s+"
                        + "> 20 for 1h \\(clear <= 18\\)\\s+fires; training target orchestrator-dynamic-ml-training")
                .containsPattern("\\+0:00\\s+ticket-duration-predictor/mae-ratio\\s+INCONCLUSIVE\\s+-\\s+.*no data")
                .contains("Signals began firing 2 times.")
                .contains("Report written to " + report);
        String html = Files.readString(report);
        assertThat(count(html, "<svg ")).isEqualTo(5);
        // one marker per state change on its signal's chart; the retraining Job (no registry in the default world:
        // the Job's own gate is trusted) on all five
        assertThat(count(html, "class=\"marker marker-firing")).isEqualTo(2);
        assertThat(count(html, "class=\"marker marker-retraining")).isEqualTo(5);
        assertThat(result.getOutput()).containsPattern("\\+1:04\\s+orchestrator-dynamic-ml-training\\s+job\\s+");
    }

    @Test
    void givenUnreachablePrometheus_whenReplayed_thenExit3NamesTheFlagAndTheFixAndNoReportIsWritten(
            QuarkusMainLauncher launcher, @TempDir Path dir) {
        String url = "http://127.0.0.1:" + PrometheusServer.closedPort();
        Path report = dir.resolve("never.html");

        LaunchResult result = launcher.launch("replay", "--prometheus", url, "--from", "-1h", "--report",
                report.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("model-guardian: replay: --prometheus " + url + ": the range query of")
                .contains("Prometheus unreachable").contains("check the URL");
        assertThat(report).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void givenTimeFlagsWithoutPrometheus_whenReplayed_thenExit3SaysToAddPrometheusOrDropTheFlag(
            QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("replay", "--from", "-6h");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("--from needs --prometheus URL (the scenario has its own clock);"
                + " add --prometheus or drop --from");
    }

    @Test
    void givenPrometheusWithoutFromOrWithABadStep_whenReplayed_thenExit3NamesTheFlag(QuarkusMainLauncher launcher) {
        LaunchResult noFrom = launcher.launch("replay", "--prometheus", prometheus.url());
        LaunchResult badStep = launcher.launch("replay", "--prometheus", prometheus.url(), "--from", "-1h", "--step",
                "0s");

        assertThat(noFrom.exitCode()).isEqualTo(3);
        assertThat(noFrom.getErrorOutput()).contains("--prometheus needs --from: the start of the period, e.g. --from -6h");
        assertThat(badStep.exitCode()).isEqualTo(3);
        assertThat(badStep.getErrorOutput()).contains("--step: '0s' is not positive");
    }

    @Test
    void givenReportInAMissingDirectory_whenReplayed_thenExit3BeforeReplaying(QuarkusMainLauncher launcher,
            @TempDir Path dir) {
        Path report = dir.resolve("no-such-dir/report.html");

        LaunchResult result = launcher.launch("replay", "--report", report.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("--report " + report + ": directory " + dir.resolve("no-such-dir")
                + " does not exist or is not writable");
        assertThat(result.getOutput()).doesNotContain("Scenario drift-incident");
    }

    @Test
    void givenReportForTheDefaultScenario_whenReplayed_thenTheTimelineIsPrintedAndThePageWritten(
            QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        Path report = dir.resolve("drift.html");

        LaunchResult result = launcher.launch("replay", "--report", report.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("Scenario drift-incident:", "Signals began firing 1 time.");
        String html = Files.readString(report);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>model-guardian replay: drift-incident</title>");
        assertThat(count(html, "<svg ")).isEqualTo(3);
        assertThat(html).contains("<table class=\"remediation\">", "marker marker-verified");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("drift.html");
        }
    }
}
