package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth.FiredSignal;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.RecordedHistory;
import dev.modelguardian.testing.TestConfigs;

/**
 * {@code postmortem} with the signals over the incident window read from a real Prometheus holding the recorded drift
 * incident (the replay's), and the remediation it led to in the mock API server's state ConfigMap.
 */
@QuarkusMainTest
class PostmortemPrometheusCommandTest {

    /** The recorded incident: feature-psi fires at +1:04 of 2026-02-14T00:00:00Z. */
    static final Instant FIRED = Instant.parse("2026-02-14T01:04:00Z");

    static KubernetesMockServer server;
    static PrometheusServer prometheus;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        ModelSet neuralHive = ModelSet.resolve(TestConfigs.settings(""));
        prometheus = PrometheusServer.withHistory(RecordedHistory.openMetrics(RecordedHistory.drift(),
                Policies.from(neuralHive), Duration.ofMinutes(1)));
        server = MainTestCluster.start();
        KubernetesClient client = server.createClient();
        FiredSignal psi = new FiredSignal("ticket-duration-predictor", "feature-psi", 0.262, "> 0.25");
        Instant started = FIRED.plusSeconds(60);
        HistoryEntry entry = new HistoryEntry("r" + started.getEpochSecond(),
                Optional.of("ml-retrain-emergency-" + started.getEpochSecond()), started, started.plusSeconds(1800),
                HistoryEntry.Outcome.RETRAINED, "training Job complete", List.of(psi)).withTimeline(new Timeline(
                        List.of(new Timeline.Mark(RemediationState.FIRING, FIRED),
                                new Timeline.Mark(RemediationState.RETRAINING, started),
                                new Timeline.Mark(RemediationState.HEALTHY, started.plusSeconds(1800))),
                        Optional.of(new Timeline.Approval(Timeline.AUTO, started))));
        TargetState healthy = new TargetState(RemediationState.HEALTHY, started.plusSeconds(1800), Optional.empty(),
                Optional.empty(), false, List.of(), false, List.of(started), Optional.of(started.plusSeconds(1800)));
        assertThat(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").compareAndSet(CRON_JOB, 0,
                new TargetRecord(3, healthy, "training Job complete", Progress.EMPTY, Map.of(), List.of(entry))))
                .isTrue();
        client.close();
    }

    @AfterAll
    static void stop() {
        MainTestCluster.stop(server);
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private Path config(String prometheusUrl) throws IOException {
        return Files.writeString(dir.resolve("guardian-" + Math.abs(prometheusUrl.hashCode()) + ".yaml"), """
                guardian:
                  namespace: %s
                  prometheus:
                    url: %s
                """.formatted(NAMESPACE, prometheusUrl));
    }

    @Test
    void givenTheIncidentInPrometheus_whenDrafted_thenEachSignalHasItsWorstValueOverTheWindow(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("postmortem", "--config", config(prometheus.url()).toString(),
                "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        assertThat(result.getOutput())
                .contains("From 2026-02-14T00:34:00Z to 2026-02-14T02:05:00Z (30m either side of the first breach"
                        + " and the end)")
                .contains("| ticket-duration-predictor/feature-psi | > 0.25 (clear <= 0.2) | 0.34 |"
                        + " 2026-02-14T01:10:00Z | 0.34 | 1h1m15s |")
                .contains("| ticket-duration-predictor/mae-percentage | > 20 for 1h (clear <= 18) | 24 |")
                .contains("| ticket-duration-predictor/mae-ratio | > 1.5 (clear <= 1.3) | no value | - | - | 0s (365 of"
                        + " 365 points inconclusive) |")
                .contains("## Inputs that moved most\n\n`ticket-duration-predictor/feature-psi` by `feature`, worst first"
                        + " (bound > 0.25 (clear <= 0.2)):\n\n| feature | worst | at | at the end | past the trigger |\n"
                        + "|---|---|---|---|---|\n"
                        + "| ticket_priority | 0.34 | 2026-02-14T01:10:00Z | 0.34 | yes |\n"
                        + "| queue_depth | 0.17 | 2026-02-14T01:10:00Z | 0.17 | no |\n");
    }

    @Test
    void givenPrometheusDown_whenDrafted_thenTheSignalsAreMarkedUnavailableAndTheDraftIsStillWritten(
            QuarkusMainLauncher launcher) throws IOException {
        String down = "http://127.0.0.1:" + PrometheusServer.closedPort();

        LaunchResult result = launcher.launch("postmortem", "--config", config(down).toString(), "--target",
                CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).containsPattern("\\| ticket-duration-predictor/feature-psi \\| > 0.25 \\(clear"
                + " <= 0.2\\) \\| unavailable: prometheus: Prometheus unreachable: .+ \\| \\| \\| \\|")
                .containsPattern("`ticket-duration-predictor/feature-psi` by `feature`: unavailable: prometheus:"
                        + " Prometheus unreachable: .+\\.\n")
                .contains("## Timeline");
    }

    @Test
    void givenHtml_whenDrafted_thenAWellFormedPageWithTheDraftAndOneChartPerSignalWithValuesAndNothingFetched(
            QuarkusMainLauncher launcher) throws Exception {
        Path page = dir.resolve("postmortem.html");

        LaunchResult result = launcher.launch("postmortem", "--config", config(prometheus.url()).toString(),
                "--target", CRON_JOB, "--html", page.toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        assertThat(result.getErrorOutput()).contains("HTML draft of remediation r" + FIRED.plusSeconds(60)
                .getEpochSecond() + " written to " + page);
        String html = Files.readString(page);
        // Well-formed XML, as the replay report: the JDK's parser reads it.
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        org.w3c.dom.Document doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                html.replace("<!DOCTYPE html>", "").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("h1").item(0).getTextContent()).isEqualTo("Post-mortem draft: "
                + CRON_JOB + ", remediation r" + FIRED.plusSeconds(60).getEpochSecond());
        // Three signals have values in the recorded incident (mae-ratio and workload-shift have none): three charts,
        // each with a marker for FIRING, RETRAINING and HEALTHY.
        assertThat(doc.getElementsByTagName("svg").getLength()).isEqualTo(3);
        assertThat(html).contains("data-signal=\"ticket-duration-predictor/feature-psi\"")
                .contains("class=\"marker marker-firing\"").contains("class=\"marker marker-retraining\"")
                .contains("<td>ticket-duration-predictor/feature-psi</td>")
                .contains("<strong>retrained</strong>")
                .contains("default-src 'none'")
                .doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
    }
}
