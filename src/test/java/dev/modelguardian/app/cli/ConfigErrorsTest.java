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

/** Bad input of every kind ends with a message naming what to fix and exit code 3, before anything is read. */
@QuarkusMainTest
class ConfigErrorsTest {

    @TempDir
    Path dir;

    @Test
    void givenSeveralInvalidSignals_whenChecked_thenEveryProblemIsListedWithItsPropertyAndExitIs3(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("check", "--config", write("""
                guardian:
                  prometheus:
                    url: not a url
                  models:
                    m:
                      signals:
                        no-bound:
                          query: up
                        both:
                          query: up
                          above: 1
                          below: 0.5
                        wrong-clear:
                          query: up
                          above: 20
                          clear: 25
                  targets:
                    train:
                      models: [m, ghost]
                """));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput())
                .contains("invalid configuration (5 problems)")
                .contains("guardian.prometheus.url: 'not a url' is not a valid URL")
                .contains("guardian.models.m.signals.no-bound: no bound; set exactly one of 'above' or 'below'")
                .contains("guardian.models.m.signals.both: both 'above' and 'below' are set")
                .contains("guardian.models.m.signals.wrong-clear.clear: clear bound 25 is above the trigger bound 20")
                .contains("guardian.targets.train.models[1]: unknown model 'ghost'; known models: m");
        assertThat(result.getOutput()).isEmpty();
    }

    @Test
    void givenMisspelledProperty_whenChecked_thenStartupNamesItAndExitIs3(QuarkusMainLauncher launcher)
            throws IOException {
        LaunchResult result = launcher.launch("check", "--config", write("""
                guardian:
                  models:
                    m:
                      signals:
                        s:
                          query: up
                          abovee: 1
                """));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("guardian.models.m.signals.s.abovee");
    }

    @Test
    void givenUnparseableDuration_whenChecked_thenStartupNamesThePropertyAndExitIs3(QuarkusMainLauncher launcher)
            throws IOException {
        LaunchResult result = launcher.launch("check", "--config", write("""
                guardian:
                  interval: every minute
                """));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("guardian.interval").contains("every minute");
    }

    @Test
    void givenModelWithoutSignals_whenChecked_thenItIsReportedInsteadOfFallingBackToTheBundledModels(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("check", "--config", write("""
                guardian:
                  models:
                    my-model:
                      signals: {}
                """));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("guardian.models.my-model.signals: model 'my-model' has no signals");
    }

    @Test
    void givenEmptyModelsSection_whenChecked_thenNoModelsIsReported(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("check", "--config", write("""
                guardian:
                  models: {}
                """));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("guardian.models: no models are configured");
    }

    @Test
    @Launch(value = { "check", "--config", "/no/such/file.yaml" }, exitCode = 3)
    void givenMissingConfigFile_whenChecked_thenExit3NamesTheFile(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("--config /no/such/file.yaml: no such readable file");
    }

    @Test
    @Launch(value = { "check", "--no-such-option" }, exitCode = 3)
    void givenUnknownOption_whenRun_thenExit3NotTheInconclusiveCode(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    @Launch(value = { "check" }, exitCode = 3)
    void givenNoPrometheusUrl_whenChecked_thenExit3SaysWhichEnvVariableToSet(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("guardian.prometheus.url: not set")
                .contains("GUARDIAN_PROMETHEUS_URL");
    }

    private String write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "bad", ".yaml"), yaml).toString();
    }
}
