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

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.testing.AccessReviews;
import dev.modelguardian.testing.Argo;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;

/**
 * A target trained by an Argo WorkflowTemplate, through the commands a user runs: {@code check --remediate} submits
 * one Workflow (never a Job) and names it as a Workflow, {@code status} says what trains the target, {@code doctor}
 * checks the template and the Workflow permissions. A real Prometheus, the CRUD mock API server with Argo's CRDs.
 */
@QuarkusMainTest
class ArgoWorkflowCommandTest {

    static KubernetesMockServer server;
    static AccessReviews reviews = new AccessReviews();
    static PrometheusServer prometheus;

    @TempDir
    Path dir;

    KubernetesClient client;

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
        Argo.reset(client);
        reviews.denied.clear();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** The duration predictor's MAE read from {@code series}; its target trained by {@code template}. */
    private Path config(String series, String template) throws IOException {
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
                      trigger:
                        kind: argo-workflow
                        argo-workflow:
                          template: %s
                          parameters:
                            remediation-id: "{remediation-id}"
                """.formatted(NAMESPACE, prometheus.url(), series, CRON_JOB, template));
    }

    /**
     * The JSON a command printed. Several launches share this test's JVM, and the second one's Micrometer warns once
     * that a gauge is registered again (a process runs one command, so users never see it): log lines are left out.
     * Shared with {@link HttpTriggerCommandTest}.
     */
    static JsonNode json(LaunchResult result) throws IOException {
        return new ObjectMapper().readTree(result.getOutput().lines()
                .filter(line -> !line.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} .*"))
                .collect(java.util.stream.Collectors.joining("\n")));
    }

    @Test
    void givenAFiringSignal_whenCheckRemediateRunsTwice_thenOneWorkflowFromTheTemplateAndNoJob(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = config("breaching-predictor", Argo.TEMPLATE);

        LaunchResult first = launcher.launch("check", "--remediate", "--config", config.toString());
        LaunchResult second = launcher.launch("check", "--remediate", "--config", config.toString(), "--output",
                "json");

        assertThat(first.exitCode()).as(first.getOutput() + first.getErrorOutput()).isEqualTo(1);
        List<GenericKubernetesResource> workflows = Argo.workflows(client);
        assertThat(workflows).singleElement().satisfies(wf -> {
            assertThat(wf.getMetadata().getName()).startsWith("ml-retrain-emergency-");
            assertThat(wf.getMetadata().getLabels()).containsEntry("workflows.argoproj.io/workflow-template",
                    Argo.TEMPLATE);
            assertThat(wf.<Object>get("spec", "workflowTemplateRef", "name")).isEqualTo(Argo.TEMPLATE);
        });
        String name = workflows.getFirst().getMetadata().getName();
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).as("no Job").isEmpty();
        assertThat(first.getOutput())
                .containsPattern("TARGET\\s+TRAINED BY\\s+STATE\\s+RUN\\s+NOTE")
                .containsPattern(CRON_JOB + "\\s+WorkflowTemplate " + Argo.TEMPLATE + "\\s+RETRAINING\\s+" + name
                        + "\\s+Workflow " + name + " not picked up|" + CRON_JOB + "\\s+WorkflowTemplate "
                        + Argo.TEMPLATE + "\\s+RETRAINING\\s+" + name + "\\s+Workflow " + name + " running for");
        assertThat(first.getErrorOutput() + first.getOutput()).doesNotContain("CronJob");

        assertThat(second.exitCode()).isEqualTo(1);
        JsonNode target = json(second).get("targets").get(0);
        assertThat(target.get("trainedBy").asText()).isEqualTo("WorkflowTemplate " + Argo.TEMPLATE);
        assertThat(target.get("cronJob").isNull()).as("no CronJob trains it").isTrue();
        assertThat(target.get("job").asText()).isEqualTo(name);
        assertThat(Argo.workflows(client)).as("still one Workflow").hasSize(1);
    }

    @Test
    void givenAWorkflowSubmitted_whenStatusRuns_thenItSaysTheTargetIsTrainedByTheTemplate(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = config("breaching-predictor", Argo.TEMPLATE);
        launcher.launch("check", "--remediate", "--config", config.toString());

        LaunchResult status = launcher.launch("status", "--config", config.toString(), "--output", "json");

        assertThat(status.exitCode()).as(status.getOutput() + status.getErrorOutput()).isZero();
        JsonNode target = json(status).get("targets").get(0);
        assertThat(target.get("training").get("trigger").asText()).isEqualTo("argo-workflow");
        assertThat(target.get("training").get("kind").asText()).isEqualTo("WorkflowTemplate");
        assertThat(target.get("training").get("name").asText()).isEqualTo(Argo.TEMPLATE);
        assertThat(target.get("training").get("runKind").asText()).isEqualTo("Workflow");
    }

    @Test
    void givenAMisspelledTemplateAndWorkflowsDenied_whenDoctorRuns_thenFailsNameTheClosestTemplateAndTheMissingRule(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = config("healthy-predictor", "orchestrator-ml-retrian");
        reviews.denied.add("create workflows.argoproj.io");

        LaunchResult result = launcher.launch("doctor", "--config", config.toString());

        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+workflowtemplate/orchestrator-ml-retrian\\s+WorkflowTemplate " + NAMESPACE
                        + "/orchestrator-ml-retrian not found; closest existing WorkflowTemplate: " + Argo.TEMPLATE)
                .contains("set guardian.targets." + CRON_JOB + ".trigger.argo-workflow.template: " + Argo.TEMPLATE)
                .containsPattern("FAIL\\s+rbac\\s+missing: create workflows.argoproj.io in " + NAMESPACE)
                .doesNotContain("cronjob/");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void givenAClusterWorkflowTemplateWhoseReadIsDenied_whenDoctorRuns_thenTheClusterPermissionIsAskedWithoutANamespaceAndTheClusterRoleNamed(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = config("healthy-predictor", Argo.TEMPLATE);
        Files.writeString(config, Files.readString(config).replace("template: " + Argo.TEMPLATE,
                "template: " + Argo.TEMPLATE + "\n          cluster-scope: true"));
        String clusterGet = "get clusterworkflowtemplates.argoproj.io/" + Argo.TEMPLATE;
        reviews.denied.add(clusterGet);

        LaunchResult result = launcher.launch("doctor", "--config", config.toString());

        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+rbac\\s+missing: " + clusterGet + " \\(cluster-scoped; needed for:")
                .contains("components/argo-cluster-workflow-template")
                .doesNotContain("missing: list clusterworkflowtemplates");
        assertThat(reviews.namespaces).containsEntry(clusterGet, "")
                .containsEntry("list clusterworkflowtemplates.argoproj.io", "")
                .containsEntry("create workflows.argoproj.io", NAMESPACE);
        assertThat(result.exitCode()).isEqualTo(1);
    }
}
