package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;

/**
 * {@code check --remediate}, the CronJob mode, as the CronJob runs it: a real Prometheus serving Neural Hive's metric
 * names, the CRUD mock API server holding the training CronJob. Nobody plays the Job controller here, so a created Job
 * stays active, as a training Job does for most of an hour.
 */
@QuarkusMainTest
class CheckRemediateCommandTest {

    static KubernetesMockServer server;
    static PrometheusServer prometheus;

    @TempDir
    Path dir;

    KubernetesClient client;

    @BeforeAll
    static void start() {
        server = MainTestCluster.start();
        prometheus = PrometheusServer.shared();
        prometheus.endpoint().set(CheckCommandTest.METRICS);
        prometheus.awaitSamples("orchestration_ml_model_quality_metrics{model_name=\"breaching-predictor\"}", 1);
    }

    @AfterAll
    static void stop() {
        MainTestCluster.stop(server);
    }

    @BeforeEach
    void setUp() {
        client = server.createClient();
        NeuralHive.reset(client);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** The duration predictor's MAE read from the series of {@code series}: 27 (breaching-predictor) or 12.5. */
    private Path config(String series) throws IOException {
        return Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  prometheus:
                    url: %s
                  models:
                    ticket-duration-predictor:
                      signals:
                        mae-percentage:
                          query: max(orchestration_ml_model_quality_metrics{model_name="%s",metric_type="mae_percentage"})
                          above: 20
                  targets:
                    %s:
                      models: [ticket-duration-predictor]
                """.formatted(NAMESPACE, prometheus.url(), series, CRON_JOB));
    }

    private LaunchResult checkRemediate(QuarkusMainLauncher launcher, Path config, String... more) {
        String[] args = new String[more.length + 4];
        args[0] = "check";
        args[1] = "--remediate";
        args[2] = "--config";
        args[3] = config.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return launcher.launch(args);
    }

    @Test
    void givenAModelThatNoTargetTrains_whenCheckRemediateRuns_thenOneLineOnStderrSaysItIsNeverRetrained(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = Files.writeString(dir.resolve("untrained.yaml"), Files.readString(config("breaching-predictor"))
                .replaceAll("(?s)  targets:.*", ""));

        LaunchResult result = checkRemediate(launcher, config, "--output", "json");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getErrorOutput()).containsOnlyOnce("model-guardian: warning: model ticket-duration-predictor"
                + " has signals but no training target trains it: it is watched, never retrained");
        assertThat(new ObjectMapper().readTree(result.getOutput()).get("signals")).hasSize(1);
        assertThat(jobs()).isEmpty();
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }

    @Test
    void givenAFiringSignal_whenRunTwiceWhileTheJobIsStillActive_thenExactlyOneTrainingJobAndExit1Both(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = config("breaching-predictor");

        LaunchResult first = checkRemediate(launcher, config);

        assertThat(first.exitCode()).as(first.getOutput() + first.getErrorOutput()).isEqualTo(1);
        assertThat(jobs()).singleElement().satisfies(job -> {
            assertThat(job.getMetadata().getName()).startsWith("ml-retrain-emergency-");
            assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(ref -> assertThat(ref.getName()).isEqualTo(CRON_JOB));
            assertThat(job.getMetadata().getLabels()).containsEntry(TrainingJobs.TARGET, CRON_JOB);
        });
        String job = jobs().get(0).getMetadata().getName();
        assertThat(first.getOutput())
                .containsPattern("ticket-duration-predictor\\s+mae-percentage\\s+27\\s+> 20\\s+FIRING")
                .containsPattern("TARGET\\s+TRAINED BY\\s+STATE\\s+RUN\\s+NOTE")
                .containsPattern(CRON_JOB + "\\s+CronJob " + CRON_JOB + "\\s+RETRAINING\\s+" + job + "\\s+Job " + job
                        + " running for \\d+s")
                .contains("1 signal: 0 healthy, 0 pending, 1 firing, 0 inconclusive -> firing (exit 1)");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("model-guardian-state-" + CRON_JOB).get()
                .getData()).containsKey("target." + CRON_JOB + ".json");

        LaunchResult second = checkRemediate(launcher, config, "--output", "json");

        assertThat(second.exitCode()).as(second.getOutput() + second.getErrorOutput()).isEqualTo(1);
        assertThat(jobs()).as("the second run follows the active Job up instead of starting another")
                .extracting(j -> j.getMetadata().getName()).containsExactly(job);
        String out = second.getOutput();
        JsonNode report = new ObjectMapper().readTree(out.substring(out.indexOf("{\n")));
        assertThat(report.path("exitCode").asInt()).isEqualTo(1);
        assertThat(report.path("targets")).singleElement().satisfies(t -> {
            assertThat(t.path("target").asText()).isEqualTo(CRON_JOB);
            assertThat(t.path("state").asText()).isEqualTo("retraining");
            assertThat(t.path("job").asText()).isEqualTo(job);
            assertThat(t.path("problem").isNull()).isTrue();
        });
    }

    @Test
    void givenASlowSlackWebhook_whenTheCycleQueuesNotifications_thenTheyAreDeliveredBeforeTheProcessEnds(
            QuarkusMainLauncher launcher) throws IOException {
        WireMockServer slack = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .dynamicPort());
        slack.start();
        try {
            // Each answer takes 3 s: the cycle is long over before the second message could go out.
            slack.stubFor(WireMock.post(WireMock.urlPathMatching("/services/.*"))
                    .willReturn(WireMock.ok("ok").withFixedDelay(3_000)));
            Path config = config("breaching-predictor");
            Files.writeString(config, Files.readString(config) + """
                      notify:
                        slack:
                          webhook-url: http://127.0.0.1:%d/services/T0/B0/x
                    """.formatted(slack.port()));

            LaunchResult result = checkRemediate(launcher, config);

            assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
            assertThat(slack.getAllServeEvents()).as("firing and retraining-started, both sent").hasSize(2);
        } finally {
            slack.stop();
        }
    }

    @Test
    void givenHealthySignals_whenRun_thenNoJobAndExit0(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = checkRemediate(launcher, config("ticket-duration-predictor"));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(jobs()).isEmpty();
        assertThat(result.getOutput())
                .containsPattern("ticket-duration-predictor\\s+mae-percentage\\s+12.5\\s+> 20\\s+HEALTHY")
                .containsPattern(CRON_JOB + "\\s+CronJob " + CRON_JOB + "\\s+HEALTHY\\s+-\\s+")
                .contains("-> healthy (exit 0)");
    }

    @Test
    void givenAFiringSignalAndNoCronJob_whenRun_thenExit4NamingTheFailedStepAndNoJob(QuarkusMainLauncher launcher)
            throws IOException {
        client.batch().v1().cronjobs().inNamespace(NAMESPACE).withName(CRON_JOB).delete();

        LaunchResult result = checkRemediate(launcher, config("breaching-predictor"));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(4);
        assertThat(jobs()).isEmpty();
        assertThat(result.getOutput())
                .containsPattern(CRON_JOB + "\\s+CronJob " + CRON_JOB + "\\s+FIRING\\s+-\\s+.*CronJob.*not found.*"
                        + "\\[failed: job-create-failed\\]")
                .contains("-> remediation-failed (exit 4)");
    }

    @Test
    void givenWithoutRemediate_whenRunAgainstTheSameCluster_thenNothingIsCreatedOrWritten(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("check", "--config", config("breaching-predictor").toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(jobs()).isEmpty();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("model-guardian-state").get()).isNull();
        assertThat(result.getOutput()).doesNotContain("TARGET");
    }

    @Test
    void givenHelp_whenAsked_thenRemediateAndItsExitCodesAreDocumented(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("check", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("--remediate").contains("concurrencyPolicy: Forbid")
                .containsPattern("4\\s+--remediate only: a remediation step failed");
    }
}
