package dev.modelguardian.integrations.kubernetes;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;

import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.testing.FaultyApiServer.Call;
import dev.modelguardian.testing.FaultyApiServer.Fault;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.Runbook.Path;
import dev.modelguardian.testing.ScrapeTarget;

/**
 * {@link KubernetesApiFaults} for a target trained through a pipeline service (the http trigger against a Kubeflow
 * stand-in): the one Kubernetes call of its own (reading the credentials' Secret, before every request to the
 * service) and the state write that records the run, answered with 409, 500 or nothing. The same guarantees as for a
 * Job: one run, consistent state, the undisturbed end. The service's own faults are PipelineRecipesTest's.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class PipelineApiFaultsTest extends KubernetesApiFaults {

    static final Call GET_SECRET = Call.of("get Secret", "GET", "/api/v1/namespaces/" + NAMESPACE + "/secrets/kfp-token");

    @Override
    Runbook.Training training() {
        return Runbook.Training.RUN_THROUGH_PIPELINE;
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                // call, fault, path, what the call that met it came to, what the guardian said
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "still conflicting (409) after 8 attempts"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot write state ConfigMap neural-hive/" + TARGET_STATE + ": HTTP 500"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "the Kubernetes API did not answer"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.TIMEOUT_AFTER_APPLYING, Path.PROMOTED,
                        Effect.CYCLE_FAILED, "the Kubernetes API did not answer"),
                Arguments.of(GET_SECRET, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot read Secret neural-hive/kfp-token: HTTP 409"),
                Arguments.of(GET_SECRET, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot read Secret neural-hive/kfp-token: HTTP 500"),
                Arguments.of(GET_SECRET, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot read Secret neural-hive/kfp-token: the Kubernetes API did not answer"),
                Arguments.of(GET_SECRET, Fault.SERVER_ERROR, Path.TRAINING_FAILED, Effect.CYCLE_FAILED,
                        "cannot read Secret neural-hive/kfp-token: HTTP 500"));
    }
}
