package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.testing.PrometheusServer;

/**
 * {@code check} against a real Prometheus server scraping Neural Hive's real metric names.
 */
@QuarkusMainTest
class CheckCommandTest {

    static final String METRICS = """
            # HELP orchestration_ml_model_quality_metrics Model quality
            # TYPE orchestration_ml_model_quality_metrics gauge
            orchestration_ml_model_quality_metrics{model_name="ticket-duration-predictor",metric_type="mae_percentage"} 12.5
            orchestration_ml_model_quality_metrics{model_name="breaching-predictor",metric_type="mae_percentage"} 27
            # TYPE orchestration_ml_model_accuracy gauge
            orchestration_ml_model_accuracy{model_name="anomaly-predictor",metric_type="precision"} 0.82
            orchestration_ml_model_accuracy{model_name="nan-predictor",metric_type="precision"} NaN
            # TYPE orchestration_ml_drift_score gauge
            orchestration_ml_drift_score{drift_type="feature",feature="queue_depth",model_name="duration-predictor"} 0.12
            orchestration_ml_drift_score{drift_type="feature",feature="priority",model_name="duration-predictor"} 0.08
            orchestration_ml_drift_score{drift_type="prediction",model_name="duration-predictor"} 1.1
            orchestration_ml_drift_score{drift_type="target",model_name="duration-predictor"} 0.05
            """;

    static PrometheusServer prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPrometheus() {
        prometheus = PrometheusServer.shared();
        prometheus.endpoint().set(METRICS);
        // Enough history for a 3s 'for' window at a 1s scrape interval.
        prometheus.awaitSamples("orchestration_ml_model_quality_metrics{model_name=\"breaching-predictor\"}", 6);
    }

    @Test
    void givenNeuralHiveDefaultsAndHealthyMetrics_whenChecked_thenEverySignalIsHealthyAndExitIs0(
            QuarkusMainLauncher launcher) throws IOException {
        long queries = prometheus.requests("/api/v1/query");

        LaunchResult result = launcher.launch("check", "--config", write("""
                guardian:
                  prometheus:
                    url: %s
                """.formatted(prometheus.url())));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        // The two drift scores read at the present differ only by drift_type: one instant query answers both (the
        // three signals with a 'for' start from their history, by range queries).
        await("one instant query for feature-psi and mae-ratio").during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(10)).until(() -> prometheus.requests("/api/v1/query") - queries == 1);
        assertThat(result.getOutput())
                .containsPattern("ticket-duration-predictor\\s+mae-percentage\\s+12.5\\s+> 20 for 1h \\(clear <= 18\\)\\s+HEALTHY")
                .containsPattern("ticket-duration-predictor\\s+feature-psi\\s+0.12\\s+> 0.25")
                .containsPattern("ticket-duration-predictor\\s+mae-ratio\\s+1.1\\s+")
                .containsPattern("ticket-anomaly-detector\\s+precision\\s+0.82\\s+< 0.7 for 1h")
                .contains("5 signals: 5 healthy, 0 pending, 0 firing, 0 inconclusive -> healthy (exit 0)");
    }

    @Test
    void givenBreachShorterThanFor_whenChecked_thenSignalIsPendingAndExitIs0(QuarkusMainLauncher launcher)
            throws IOException {
        LaunchResult result = launcher.launch("check", "--config", single("above: 20\n      for: 1h"));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput()).containsPattern("breaching-predictor\\s+mae-percentage\\s+27\\s+> 20 for 1h\\s+PENDING")
                .contains("1 pending, 0 firing");
    }

    @Test
    void givenBreachHeldPastFor_whenChecked_thenSignalIsFiringAndExitIs1(QuarkusMainLauncher launcher)
            throws IOException {
        LaunchResult result = launcher.launch("check", "--config", single("above: 20\n      for: 3s"));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput()).containsPattern("breaching-predictor\\s+mae-percentage\\s+27\\s+> 20 for 3s\\s+FIRING")
                .contains("-> firing (exit 1)");
    }

    @Test
    void givenQueryWithNoSeries_whenChecked_thenInconclusiveNoDataAndExitIs2(QuarkusMainLauncher launcher)
            throws IOException {
        LaunchResult result = launcher.launch("check", "--config", write(config(
                "max(orchestration_ml_model_quality_metrics{model_name=\"no-such-model\"})", "above: 20")));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(2);
        assertThat(result.getOutput()).containsPattern("INCONCLUSIVE\\s+\\S+\\s+no data")
                .contains("-> inconclusive (exit 2)");
    }

    @Test
    void givenNaNValue_whenChecked_thenInconclusiveNaNAndExitIs2(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("check", "--config", write(config(
                "min(orchestration_ml_model_accuracy{model_name=\"nan-predictor\",metric_type=\"precision\"})",
                "below: 0.7")));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(2);
        assertThat(result.getOutput()).containsPattern("INCONCLUSIVE\\s+\\S+\\s+NaN");
    }

    @Test
    void givenPrometheusDown_whenChecked_thenInconclusiveSourceErrorAndExitIs2(QuarkusMainLauncher launcher)
            throws IOException {
        String config = """
                guardian:
                  prometheus:
                    url: http://127.0.0.1:%d
                    timeout: 2s
                  source-error-limit: 1
                """.formatted(PrometheusServer.closedPort());
        LaunchResult result = launcher.launch("check", "--config", write(config));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(2);
        assertThat(result.getOutput()).contains("source error: Prometheus unreachable")
                .contains("[source-error alert: 1 in a row]")
                .contains("0 healthy, 0 pending, 0 firing, 5 inconclusive");
    }

    @Test
    void givenFiringAndInconclusiveSignals_whenCheckedAsJson_thenReportFollowsSchemaAndExitIs1(
            QuarkusMainLauncher launcher) throws IOException {
        String config = """
                guardian:
                  prometheus:
                    url: %s
                    backfill-step: 1s
                  models:
                    breaching-predictor:
                      signals:
                        mae-percentage:
                          query: max(orchestration_ml_model_quality_metrics{model_name="breaching-predictor"})
                          above: 20
                          clear: 18
                          for: 3s
                    nan-predictor:
                      signals:
                        precision:
                          query: min(orchestration_ml_model_accuracy{model_name="nan-predictor"})
                          below: 0.7
                """.formatted(prometheus.url());
        LaunchResult result = launcher.launch("check", "--output", "json", "--config", write(config));

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(result.getOutput());
        assertThat(json.path("schema").asText()).isEqualTo("model-guardian/check/v1");
        assertThat(json.path("result").asText()).isEqualTo("firing");
        assertThat(json.path("exitCode").asInt()).isEqualTo(1);
        assertThat(json.path("counts").toString())
                .isEqualTo("{\"healthy\":0,\"pending\":0,\"firing\":1,\"inconclusive\":1}");
        JsonNode firing = json.path("signals").get(0);
        assertThat(firing.path("model").asText()).isEqualTo("breaching-predictor");
        assertThat(firing.path("signal").asText()).isEqualTo("mae-percentage");
        assertThat(firing.path("source").asText()).isEqualTo("prometheus");
        assertThat(firing.path("state").asText()).isEqualTo("firing");
        assertThat(firing.path("value").asDouble()).isEqualTo(27.0);
        assertThat(firing.path("series").asInt()).isEqualTo(1);
        assertThat(firing.path("bound").path("direction").asText()).isEqualTo("above");
        assertThat(firing.path("bound").path("trigger").asDouble()).isEqualTo(20.0);
        assertThat(firing.path("bound").path("clear").asDouble()).isEqualTo(18.0);
        assertThat(firing.path("bound").path("forDuration").asText()).isEqualTo("PT3S");
        assertThat(firing.path("breachSince").isTextual()).isTrue();
        assertThat(firing.path("reason").isNull()).isTrue();
        JsonNode nan = json.path("signals").get(1);
        assertThat(nan.path("state").asText()).isEqualTo("inconclusive");
        assertThat(nan.path("value").isNull()).isTrue();
        assertThat(nan.path("reason").asText()).isEqualTo("NaN");
    }

    @Test
    void givenScrapeSource_whenChecked_thenValueIsReadFromTheEndpointDirectly(QuarkusMainLauncher launcher)
            throws IOException {
        String config = """
                guardian:
                  scrape:
                    url: %s
                  models:
                    ticket-duration-predictor:
                      signals:
                        mae-percentage:
                          source: scrape
                          metric: orchestration_ml_model_quality_metrics
                          labels:
                            model_name: breaching-predictor
                            metric_type: mae_percentage
                          above: 20
                """.formatted(prometheus.endpoint().url());
        LaunchResult result = launcher.launch("check", "--config", write(config));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput()).containsPattern("ticket-duration-predictor\\s+mae-percentage\\s+27\\s+> 20\\s+FIRING");
    }

    private String single(String boundLines) throws IOException {
        return write(config("max(orchestration_ml_model_quality_metrics{model_name=\"breaching-predictor\"})",
                boundLines));
    }

    private String config(String query, String boundLines) {
        return """
                guardian:
                  prometheus:
                    url: %s
                    backfill-step: 1s
                  models:
                    breaching-predictor:
                      signals:
                        mae-percentage:
                          query: '%s'
                """.formatted(prometheus.url(), query)
                + "          " + boundLines.replace("\n      ", "\n          ") + "\n";
    }

    private String write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "guardian", ".yaml");
        Files.writeString(file, yaml);
        return file.toString();
    }
}
