package dev.modelguardian.integrations.kubernetes;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;

import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.testing.Argo;
import dev.modelguardian.testing.FaultyApiServer.Call;
import dev.modelguardian.testing.FaultyApiServer.Fault;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.Runbook.Path;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.ScrapeTarget;

/**
 * {@link KubernetesApiFaults} for a target trained by an Argo WorkflowTemplate: the Workflow's own calls (read the
 * template, submit, read and list Workflows) and the state write that records the Workflow, answered with 409, 500 or
 * nothing. The same guarantees as for a Job: one Workflow, consistent state, the undisturbed end.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class ArgoWorkflowApiFaultsTest extends KubernetesApiFaults {

    static final String ARGO = "/apis/argoproj.io/v1alpha1/namespaces/" + NAMESPACE;
    static final Call GET_TEMPLATE = Call.of("get WorkflowTemplate", "GET", ARGO + "/workflowtemplates/"
            + Argo.TEMPLATE);
    static final Call LIST_WORKFLOWS = new Call("list Workflows", "GET",
            r -> r.getPath().startsWith(ARGO + "/workflows") && !r.getPath().startsWith(ARGO + "/workflows/"));
    static final Call CREATE_WORKFLOW = Call.of("create Workflow", "POST", ARGO + "/workflows");
    static final Call GET_WORKFLOW = Call.of("get Workflow", "GET", ARGO + "/workflows/");

    @Override
    Runbook.Training training() {
        return Runbook.Training.WORKFLOW_FROM_TEMPLATE;
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                // call, fault, path, what the call that met it came to, what the guardian said
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "still conflicting (409) after 8 attempts"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot write state ConfigMap neural-hive/" + TARGET_STATE + ": HTTP 500"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot write state ConfigMap neural-hive/" + TARGET_STATE + ": the Kubernetes API did not"
                                + " answer"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.TIMEOUT_AFTER_APPLYING, Path.PROMOTED,
                        Effect.CYCLE_FAILED, "the Kubernetes API did not answer"),
                Arguments.of(LIST_WORKFLOWS, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot list Workflows: HTTP 409"),
                Arguments.of(LIST_WORKFLOWS, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot list Workflows: HTTP 500"),
                Arguments.of(LIST_WORKFLOWS, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot list Workflows: the Kubernetes API did not answer"),
                Arguments.of(GET_TEMPLATE, Fault.CONFLICT, Path.PROMOTED, Effect.RETRIED,
                        "cannot read WorkflowTemplate " + Argo.TEMPLATE + ": HTTP 409"),
                Arguments.of(GET_TEMPLATE, Fault.SERVER_ERROR, Path.PROMOTED, Effect.RETRIED,
                        "cannot read WorkflowTemplate " + Argo.TEMPLATE + ": HTTP 500"),
                Arguments.of(GET_TEMPLATE, Fault.TIMEOUT, Path.PROMOTED, Effect.RETRIED,
                        "cannot read WorkflowTemplate " + Argo.TEMPLATE + ": the Kubernetes API did not answer"),
                Arguments.of(CREATE_WORKFLOW, Fault.CONFLICT, Path.PROMOTED, Effect.NOT_STARTED,
                        "already exists in neural-hive and is not the one of remediation"),
                Arguments.of(CREATE_WORKFLOW, Fault.SERVER_ERROR, Path.PROMOTED, Effect.RETRIED, ": HTTP 500"),
                Arguments.of(CREATE_WORKFLOW, Fault.TIMEOUT, Path.PROMOTED, Effect.RETRIED,
                        "the Kubernetes API did not answer"),
                Arguments.of(CREATE_WORKFLOW, Fault.TIMEOUT_AFTER_APPLYING, Path.PROMOTED, Effect.RETRIED,
                        "the Kubernetes API did not answer"),
                Arguments.of(GET_WORKFLOW, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot read Workflow"),
                Arguments.of(GET_WORKFLOW, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot read Workflow"),
                Arguments.of(GET_WORKFLOW, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot read Workflow"),
                Arguments.of(GET_WORKFLOW, Fault.SERVER_ERROR, Path.TRAINING_FAILED, Effect.CYCLE_FAILED,
                        "cannot read Workflow"));
    }
}
