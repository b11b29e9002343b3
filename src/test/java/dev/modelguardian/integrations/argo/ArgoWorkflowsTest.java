package dev.modelguardian.integrations.argo;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.testing.Argo;

/** Workflows submitted from a WorkflowTemplate on the fabric8 mock server in CRUD mode, with Argo's CRDs registered. */
@EnableKubernetesMockClient(crud = true)
class ArgoWorkflowsTest {

    static final String TARGET = "orchestrator-dynamic-ml-training";
    static final Map<String, String> PARAMETERS = new LinkedHashMap<>(Map.of(
            "remediation-id", "{remediation-id}",
            "models", "{models}",
            "reason", "guardian: {trigger} on {target}",
            "run-name", "{{workflow.name}}"));

    KubernetesClient client;
    ArgoWorkflows workflows;
    TargetSpec target;

    @BeforeEach
    void setUp() {
        Argo.install(client);
        workflows = workflows(new ArgoTemplate(Argo.TEMPLATE, false, PARAMETERS));
        target = target(false);
    }

    private ArgoWorkflows workflows(ArgoTemplate template) {
        return new ArgoWorkflows(client, NAMESPACE, Map.of(TARGET, template));
    }

    private static TargetSpec target(boolean cluster) {
        return new TargetSpec(TARGET, new Trainer("argo-workflow", cluster ? "ClusterWorkflowTemplate"
                : "WorkflowTemplate", Argo.TEMPLATE, "Workflow", "argoproj.io/v1alpha1"),
                List.of("ticket-duration-predictor", "load-predictor"), RecoverySpec.NONE);
    }

    private void start(String name, String remediationId) {
        workflows.start(target, name, remediationId, "ticket-duration-predictor/mae-ratio 1.72 (above 1.5)");
    }

    @Test
    void givenAWorkflowTemplate_whenStarted_thenTheWorkflowIsTheOneArgoSubmitFromGivesWithTheParameters() {
        start("ml-retrain-emergency-1764000000", "r1764000000");

        GenericKubernetesResource wf = Argo.workflow(client, "ml-retrain-emergency-1764000000");
        assertThat(wf.getMetadata().getLabels())
                .containsEntry("workflows.argoproj.io/workflow-template", Argo.TEMPLATE)
                .containsEntry("app.kubernetes.io/part-of", "neural-hive")
                .containsEntry("team", "ml-platform")
                .containsEntry("model-guardian.dev/remediation-id", "r1764000000")
                .containsEntry("model-guardian.dev/target", TARGET);
        assertThat(wf.getMetadata().getAnnotations())
                .containsEntry("neural-hive.io/runbook", "retraining")
                .containsEntry("model-guardian.dev/trigger", "ticket-duration-predictor/mae-ratio 1.72 (above 1.5)");
        assertThat((Map<String, Object>) wf.get("spec", "workflowTemplateRef")).containsExactly(
                Map.entry("name", Argo.TEMPLATE));
        assertThat((List<Map<String, Object>>) wf.get("spec", "arguments", "parameters")).containsExactlyInAnyOrder(
                Map.of("name", "remediation-id", "value", "r1764000000"),
                Map.of("name", "models", "value", "ticket-duration-predictor,load-predictor"),
                Map.of("name", "reason", "value", "guardian: ticket-duration-predictor/mae-ratio 1.72 (above 1.5)"
                        + " on " + TARGET),
                Map.of("name", "run-name", "value", "{{workflow.name}}"));
        assertThat(wf.<Object>get("spec", "templates")).as("the template's steps stay in the template").isNull();
    }

    @Test
    void givenAClusterWorkflowTemplate_whenStarted_thenTheRefIsClusterScopedAndLabelledAsArgoDoes() {
        client.genericKubernetesResources(Argo.CLUSTER_WORKFLOW_TEMPLATES).resource(Argo.template(Argo.TEMPLATE, true))
                .create();
        workflows = workflows(new ArgoTemplate(Argo.TEMPLATE, true, Map.of()));
        target = target(true);

        start("w1", "r1");

        GenericKubernetesResource wf = Argo.workflow(client, "w1");
        assertThat(wf.getMetadata().getLabels())
                .containsEntry("workflows.argoproj.io/cluster-workflow-template", Argo.TEMPLATE)
                .doesNotContainKey("workflows.argoproj.io/workflow-template");
        assertThat((Map<String, Object>) wf.get("spec", "workflowTemplateRef"))
                .containsEntry("name", Argo.TEMPLATE).containsEntry("clusterScope", true);
        assertThat(wf.<Object>get("spec", "arguments")).as("no parameters configured: the template's defaults")
                .isNull();
    }

    @Test
    void givenTheWorkflowWasCreatedBeforeACrash_whenStartedAgain_thenThereIsStillExactlyOneWorkflow() {
        start("w1", "r1");

        start("w1", "r1");

        assertThat(Argo.workflows(client)).hasSize(1);
    }

    @Test
    void givenAWorkflowOfThatNameFromAnotherRemediation_whenStarted_thenItIsAPermanentFailureAndNothingIsCreated() {
        start("w1", "r1");

        assertThatThrownBy(() -> start("w1", "r2")).isInstanceOfSatisfying(ClusterException.class, e -> {
            assertThat(e.permanent()).isTrue();
            assertThat(e.getMessage()).isEqualTo("a Workflow named w1 already exists in " + NAMESPACE
                    + " and is not the one of remediation r2");
        });
        assertThat(Argo.workflows(client)).hasSize(1);
    }

    @Test
    void givenNoSuchTemplate_whenStarted_thenAPermanentFailureNamesTheClosestTemplateAndNoWorkflowIsCreated() {
        workflows = workflows(new ArgoTemplate("orchestrator-ml-retrian", false, Map.of()));

        assertThatThrownBy(() -> start("w1", "r1")).isInstanceOfSatisfying(ClusterException.class, e -> {
            assertThat(e.permanent()).isTrue();
            assertThat(e.getMessage()).isEqualTo("WorkflowTemplate " + NAMESPACE + "/orchestrator-ml-retrian not"
                    + " found; closest existing WorkflowTemplate: " + Argo.TEMPLATE);
        });
        assertThat(Argo.workflows(client)).isEmpty();
    }

    @Test
    void givenASubmittedWorkflowNotPickedUpYet_whenObserved_thenItRunsAndSaysSo() {
        start("w1", "r1");

        assertThat(workflows.observe(target, "w1")).isEqualTo(new JobObservation.Running(Optional.empty(),
                "not picked up by the workflow controller yet"));
    }

    @Test
    void givenARunningWorkflow_whenObserved_thenItRunsWithItsProgressAndTheStoredTemplatesDeadline() {
        start("w1", "r1");
        Argo.status(client, "w1", Map.of("phase", "Running", "progress", "2/5",
                "storedWorkflowTemplateSpec", Map.of("activeDeadlineSeconds", 3600)));

        assertThat(workflows.observe(target, "w1")).isEqualTo(new JobObservation.Running(
                Optional.of(Duration.ofHours(1)), "phase Running, progress 2/5"));
    }

    @Test
    void givenASucceededWorkflow_whenObserved_thenItSucceeded() {
        start("w1", "r1");
        Argo.finish(client, "w1", "Succeeded");

        assertThat(workflows.observe(target, "w1")).isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenAFailedWorkflow_whenObserved_thenTheReasonHasItsMessageAndTheFailedPodNodes() {
        start("w1", "r1");
        Argo.finish(client, "w1", "Failed");

        assertThat(workflows.observe(target, "w1")).isEqualTo(new JobObservation.Failed("Failed (child 'w1-1234'"
                + " failed); node train: Error (exit code 1): CUDA out of memory"));
    }

    @Test
    void givenAWorkflowInError_whenObserved_thenItFailed() {
        start("w1", "r1");
        Argo.status(client, "w1", Map.of("phase", "Error", "message", "invalid spec: templates.train.container"));

        assertThat(workflows.observe(target, "w1")).isEqualTo(new JobObservation.Failed(
                "Error (invalid spec: templates.train.container)"));
    }

    @Test
    void givenAWorkflowDeleted_whenObserved_thenItIsNotFoundUnlessItWasSeenEnded() {
        start("w1", "r1");
        start("w2", "r2");
        Argo.finish(client, "w2", "Succeeded");
        assertThat(workflows.observe(target, "w2")).isEqualTo(new JobObservation.Succeeded());

        client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(NAMESPACE).withName("w1").delete();
        client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(NAMESPACE).withName("w2").delete();

        assertThat(workflows.observe(target, "w1")).isEqualTo(new JobObservation.NotFound());
        assertThat(workflows.observe(target, "w2")).as("its TTL deleted it after it was seen Succeeded")
                .isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenWorkflowsOfTheTemplateRunning_whenRunningIsAsked_thenEachNotEndedOneOfThatTemplateIsFoundAndNoOther() {
        Argo.running(client, "by-hand", Map.of("workflows.argoproj.io/workflow-template", Argo.TEMPLATE), false);
        Argo.running(client, "from-cron-workflow", Map.of("workflows.argoproj.io/cron-workflow", "nightly"), true);
        Argo.running(client, "other-template", Map.of("workflows.argoproj.io/workflow-template", "etl"), false);
        Argo.running(client, "ended", Map.of("workflows.argoproj.io/workflow-template", Argo.TEMPLATE), false);
        Argo.finish(client, "ended", "Succeeded");

        Optional<String> newest = workflows.running(target, Optional.empty());
        assertThat(newest).get().isIn("by-hand", "from-cron-workflow");
        assertThat(workflows.running(target, newest))
                .contains(newest.get().equals("by-hand") ? "from-cron-workflow" : "by-hand");
        assertThat(workflows(new ArgoTemplate("etl-2", false, Map.of())).running(target, Optional.empty())).isEmpty();
    }

    @Test
    void givenACronWorkflowWithItsOwnSpecRunning_whenItIsConfigured_thenItsWorkflowIsAdoptedAndOtherwiseNot() {
        Argo.running(client, "nightly-1764000000", Map.of("workflows.argoproj.io/cron-workflow", "nightly-retrain"),
                false);

        assertThat(workflows.running(target, Optional.empty())).as("its spec is inline: nothing ties it to the"
                + " template").isEmpty();
        assertThat(workflows(new ArgoTemplate(Argo.TEMPLATE, false, Map.of(), Optional.of("nightly-retrain")))
                .running(target, Optional.empty())).contains("nightly-1764000000");
        assertThat(workflows(new ArgoTemplate(Argo.TEMPLATE, false, Map.of(), Optional.of("weekly-retrain")))
                .running(target, Optional.empty())).isEmpty();
    }
}
