package dev.modelguardian.integrations.argo;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.testing.Argo;

/**
 * What the API server can answer instead of submitting, reading or listing Workflows, on the mock server in
 * expectations mode: which answers end the remediation (permanent) and which are retried next cycle (transient).
 */
@EnableKubernetesMockClient
class ArgoWorkflowsFaultsTest {

    static final String TARGET = "training";
    static final String TEMPLATE = "/apis/argoproj.io/v1alpha1/namespaces/" + NAMESPACE + "/workflowtemplates/"
            + Argo.TEMPLATE;
    static final String WORKFLOWS = "/apis/argoproj.io/v1alpha1/namespaces/" + NAMESPACE + "/workflows";

    KubernetesMockServer server;
    KubernetesClient client;
    ArgoWorkflows workflows;
    final TargetSpec target = new TargetSpec(TARGET, new Trainer("argo-workflow", "WorkflowTemplate", Argo.TEMPLATE,
            "Workflow", "argoproj.io/v1alpha1"), List.of("m"), RecoverySpec.NONE);

    @BeforeEach
    void setUp() {
        server.expect().get().withPath(TEMPLATE).andReturn(200, Argo.template()).always();
        // The client's own retries (for 5xx and 429) would hide the answer under test.
        KubernetesClient noRetries = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
        workflows = new ArgoWorkflows(noRetries, NAMESPACE, Map.of(TARGET, new ArgoTemplate(Argo.TEMPLATE, false,
                Map.of())));
    }

    private static Object status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
                .build();
    }

    @Test
    void givenRbacForbidsSubmittingWorkflows_whenStarted_thenPermanentAndTheMessageSaysWhichGrant() {
        server.expect().post().withPath(WORKFLOWS).andReturn(403, status(403, "Forbidden",
                "workflows.argoproj.io is forbidden: User \"system:serviceaccount:neural-hive:model-guardian\""
                        + " cannot create resource \"workflows\"")).once();

        assertThatThrownBy(() -> workflows.start(target, "w1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("cannot create Workflow neural-hive/w1: forbidden (403)");
    }

    @Test
    void givenTheApiRejectsTheWorkflow_whenStarted_thenPermanentWithTheApisReason() {
        server.expect().post().withPath(WORKFLOWS).andReturn(422, status(422, "Invalid",
                "Workflow.argoproj.io \"w1\" is invalid: spec.workflowTemplateRef: Invalid value")).once();

        assertThatThrownBy(() -> workflows.start(target, "w1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("the API rejected it (422)")
                .hasMessageContaining("spec.workflowTemplateRef: Invalid value");
    }

    @Test
    void givenTheApiServerFails_whenStarted_thenTransientSoTheNextCycleRetries() {
        server.expect().post().withPath(WORKFLOWS).andReturn(500, status(500, "InternalError",
                "etcdserver: leader changed")).once();

        assertThatThrownBy(() -> workflows.start(target, "w1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isFalse())
                .hasMessageContaining("HTTP 500").hasMessageContaining("etcdserver: leader changed");
    }

    @Test
    void givenTheApiServerFailsOnRead_whenObserved_thenTransient() {
        server.expect().get().withPath(WORKFLOWS + "/w1").andReturn(503, status(503, "ServiceUnavailable",
                "the server is currently unable to handle the request")).once();

        assertThatThrownBy(() -> workflows.observe(target, "w1"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isFalse())
                .hasMessageContaining("read Workflow w1");
    }

    @Test
    void givenArgoIsNotInstalled_whenRunningWorkflowsAreListed_thenPermanentAndItSaysToInstallArgosCrds() {
        server.expect().get().withPath(WORKFLOWS).andReturn(404, status(404, "NotFound",
                "the server could not find the requested resource")).once();

        assertThatThrownBy(() -> workflows.running(target, java.util.Optional.empty()))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessage("cannot list Workflows: the API server does not serve argoproj.io/v1alpha1 Workflows"
                        + " (404): install Argo Workflows' CRDs in this cluster, or choose another trigger.kind");
    }
}
