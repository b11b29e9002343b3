package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

import dev.modelguardian.testing.PrometheusServer;

/** The packaged application's {@code check} against a real Prometheus serving Neural Hive's metric names. */
@QuarkusMainIntegrationTest
class CheckCommandIT {

    static PrometheusServer prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPrometheus() {
        prometheus = PrometheusServer.shared();
        prometheus.endpoint().set(CheckCommandTest.METRICS);
        prometheus.awaitSamples("orchestration_ml_model_accuracy{model_name=\"anomaly-predictor\"}", 1);
    }

    @Test
    void givenNeuralHiveDefaultsAndHealthyMetrics_whenChecked_thenEverySignalIsHealthyAndExitIs0(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  prometheus:
                    url: %s
                """.formatted(prometheus.url()));

        LaunchResult result = launcher.launch("check", "--config", config.toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput())
                .containsPattern("ticket-duration-predictor\\s+mae-percentage\\s+12.5\\s+> 20 for 1h \\(clear <= 18\\)\\s+HEALTHY")
                .contains("5 signals: 5 healthy, 0 pending, 0 firing, 0 inconclusive -> healthy (exit 0)");
    }
}
