package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.testing.AccessReviews;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PipelineStandIn;
import dev.modelguardian.testing.PrometheusServer;

/**
 * A target trained through a pipeline service's REST API (a Kubeflow Pipelines stand-in), through the commands a user
 * runs: {@code check --remediate} starts one Kubeflow run (never a Job) and names it as one, {@code status} says what
 * trains the target, {@code doctor} checks the Secret, the runs list and the permission on the Secret. A real
 * Prometheus, the CRUD mock API server.
 */
@QuarkusMainTest
class HttpTriggerCommandTest {

    static final String TOKEN = "kfp-token-7d1e9b3c55aa";
    static KubernetesMockServer server;
    static AccessReviews reviews = new AccessReviews();
    static PrometheusServer prometheus;

    @TempDir
    Path dir;

    KubernetesClient client;
    PipelineStandIn kubeflow;

    @BeforeAll
    static void start() {
        server = MainTestCluster.start(reviews);
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
        client.secrets().inNamespace(NAMESPACE).withName("kfp-token").delete();
        reviews.denied.clear();
        kubeflow = PipelineStandIn.start(PipelineStandIn.Service.KUBEFLOW, "Bearer " + TOKEN);
    }

    @AfterEach
    void tearDown() {
        kubeflow.close();
        client.close();
    }

    private void secret(String key, String value) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("kfp-token")
                .endMetadata().withData(Map.of(key, Base64.getEncoder().encodeToString(value.getBytes(
                        StandardCharsets.UTF_8)))).build()).createOr(r -> r.update());
    }

    /** The duration predictor's MAE read from {@code series}; its target trained by Kubeflow runs. */
    private Path config(String series) throws IOException {
        return Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %1$s
                  prometheus:
                    url: %2$s
                  models:
                    ticket-duration-predictor:
                      signals:
                        mae-percentage:
                          query: max(orchestration_ml_model_quality_metrics{model_name="%3$s",metric_type="mae_percentage"})
                          above: 20
                  targets:
                    %4$s:
                      models: [ticket-duration-predictor]
                      trigger:
                        kind: http
                        http:
                          name: orchestrator-ml-retrain
                          run-kind: Kubeflow run
                          start:
                            url: %5$s/apis/v2beta1/runs
                            body: '{"display_name": "{run}", "experiment_id": "%6$s", "runtime_config": {"parameters": {"models": "{models}"}}}'
                            run-id: /run_id
                          status:
                            url: %5$s/apis/v2beta1/runs/{run-id}
                            state: /state
                            succeeded: [SUCCEEDED]
                            failed: [FAILED, CANCELED]
                            message: /error/message
                          runs:
                            url: %5$s/apis/v2beta1/runs?experiment_id=%6$s
                            items: /runs
                            name: /display_name
                          auth:
                            secret: kfp-token
                """.formatted(NAMESPACE, prometheus.url(), series, CRON_JOB, kubeflow.url(),
                PipelineStandIn.EXPERIMENT));
    }

    @Test
    void givenAFiringSignal_whenCheckRemediateRunsTwice_thenOneKubeflowRunAndNoJobAndStatusNamesThePipeline(
            QuarkusMainLauncher launcher) throws IOException {
        secret("token", TOKEN);
        Path config = config("breaching-predictor");

        LaunchResult first = launcher.launch("check", "--remediate", "--config", config.toString());
        LaunchResult second = launcher.launch("check", "--remediate", "--config", config.toString(), "--output",
                "json");
        LaunchResult status = launcher.launch("status", "--config", config.toString(), "--output", "json");

        assertThat(first.exitCode()).as(first.getOutput() + first.getErrorOutput()).isEqualTo(1);
        assertThat(kubeflow.runCount()).as("one run across two invocations").isEqualTo(1);
        String name = kubeflow.run(kubeflow.runIds().get(0)).path("display_name").asText();
        assertThat(name).startsWith("ml-retrain-emergency-");
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).as("no Job").isEmpty();
        assertThat(first.getOutput()).containsPattern(CRON_JOB + "\\s+Pipeline orchestrator-ml-retrain\\s+RETRAINING\\s+"
                + name + "\\s+Kubeflow run " + name + " running for");
        assertThat(first.getErrorOutput() + first.getOutput()).doesNotContain(TOKEN).doesNotContain("CronJob");
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(ArgoWorkflowCommandTest.json(second).get("targets").get(0).get("job").asText()).isEqualTo(name);
        JsonNode training = ArgoWorkflowCommandTest.json(status).get("targets").get(0).get("training");
        assertThat(training.get("trigger").asText()).isEqualTo("http");
        assertThat(training.get("kind").asText()).isEqualTo("Pipeline");
        assertThat(training.get("name").asText()).isEqualTo("orchestrator-ml-retrain");
        assertThat(training.get("runKind").asText()).isEqualTo("Kubeflow run");
    }

    @Test
    void givenASecretWithoutItsKeyAndSecretsDenied_whenDoctorRuns_thenItFailsNamingTheKeyAndTheMissingRule(
            QuarkusMainLauncher launcher) throws IOException {
        secret("bearer", TOKEN);
        reviews.denied.add("get secrets/kfp-token");

        LaunchResult result = launcher.launch("doctor", "--config", config("healthy-predictor").toString());

        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+pipeline/orchestrator-ml-retrain credentials\\s+Secret " + NAMESPACE
                        + "/kfp-token has no key token; add it, or set trigger.http.auth.token-key")
                .containsPattern("FAIL\\s+rbac\\s+missing: get secrets/kfp-token in " + NAMESPACE)
                .doesNotContain(TOKEN);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(kubeflow.requests()).as("doctor never starts a run").noneMatch(r -> r.method().equals("POST"));
    }

    @Test
    void givenTheSecretAndTheService_whenDoctorRuns_thenTheRunsListAnswers(QuarkusMainLauncher launcher)
            throws IOException {
        secret("token", TOKEN);
        kubeflow.addRun("nightly", "RUNNING");

        LaunchResult result = launcher.launch("doctor", "--config", config("healthy-predictor").toString());

        assertThat(result.getOutput())
                .containsPattern("OK\\s+pipeline/orchestrator-ml-retrain credentials\\s+Secret " + NAMESPACE
                        + "/kfp-token has key token")
                .containsPattern("OK\\s+pipeline/orchestrator-ml-retrain\\s+GET http://127.0.0.1:\\d+/apis/v2beta1/runs"
                        + " answers: 1 Kubeflow run listed, 1 not ended")
                .containsPattern("WARN\\s+pipeline/orchestrator-ml-retrain transport\\s+the credentials travel"
                        + " unencrypted to http://127.0.0.1:\\d+/apis/v2beta1/runs")
                .doesNotContain(TOKEN);
        assertThat(kubeflow.requests()).noneMatch(r -> r.method().equals("POST"));
    }
}
