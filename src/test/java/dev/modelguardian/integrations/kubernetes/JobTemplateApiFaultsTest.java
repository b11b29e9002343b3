package dev.modelguardian.integrations.kubernetes;

import static dev.modelguardian.integrations.kubernetes.KubernetesApiFaultsTest.CREATE_JOB;
import static dev.modelguardian.integrations.kubernetes.KubernetesApiFaultsTest.GET_JOB;
import static dev.modelguardian.integrations.kubernetes.KubernetesApiFaultsTest.LIST_JOBS;
import static dev.modelguardian.integrations.kubernetes.KubernetesApiFaultsTest.LIST_PODS;

import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.testing.FaultyApiServer.Call;
import dev.modelguardian.testing.FaultyApiServer.Fault;
import dev.modelguardian.testing.JobTemplates;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.Runbook.Path;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.ScrapeTarget;

/**
 * {@link KubernetesApiFaults} for a target trained by a Job manifest kept in a ConfigMap: reading the manifest, and
 * the Job's calls (create, read, list, its pods), answered with 409, 500 or nothing. The same guarantees as for a Job
 * from a CronJob: one Job, consistent state, the undisturbed end.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class JobTemplateApiFaultsTest extends KubernetesApiFaults {

    static final Call GET_MANIFEST = Call.of("get the manifest's ConfigMap", "GET", CORE + "/configmaps/"
            + JobTemplates.CONFIG_MAP);

    @Override
    Runbook.Training training() {
        return Runbook.Training.JOB_FROM_TEMPLATE;
    }

    static Stream<Arguments> faults() {
        String cm = "cannot read ConfigMap " + JobTemplates.CONFIG_MAP;
        return Stream.of(
                // call, fault, path, what the call that met it came to, what the guardian said
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "still conflicting (409) after 8 attempts"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.TIMEOUT_AFTER_APPLYING, Path.PROMOTED,
                        Effect.CYCLE_FAILED, "the Kubernetes API did not answer"),
                Arguments.of(LIST_JOBS, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot list Jobs: HTTP 500"),
                Arguments.of(GET_MANIFEST, Fault.CONFLICT, Path.PROMOTED, Effect.RETRIED, cm + ": HTTP 409"),
                Arguments.of(GET_MANIFEST, Fault.SERVER_ERROR, Path.PROMOTED, Effect.RETRIED, cm + ": HTTP 500"),
                Arguments.of(GET_MANIFEST, Fault.TIMEOUT, Path.PROMOTED, Effect.RETRIED,
                        cm + ": the Kubernetes API did not answer"),
                Arguments.of(CREATE_JOB, Fault.CONFLICT, Path.PROMOTED, Effect.NOT_STARTED,
                        "already exists in neural-hive and is not the one of remediation"),
                Arguments.of(CREATE_JOB, Fault.SERVER_ERROR, Path.PROMOTED, Effect.RETRIED, ": HTTP 500"),
                Arguments.of(CREATE_JOB, Fault.TIMEOUT, Path.PROMOTED, Effect.RETRIED,
                        "the Kubernetes API did not answer"),
                Arguments.of(CREATE_JOB, Fault.TIMEOUT_AFTER_APPLYING, Path.PROMOTED, Effect.RETRIED,
                        "the Kubernetes API did not answer"),
                Arguments.of(GET_JOB, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot read Job"),
                Arguments.of(LIST_PODS, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot list pods of Job"),
                Arguments.of(GET_JOB, Fault.SERVER_ERROR, Path.TRAINING_FAILED, Effect.CYCLE_FAILED,
                        "cannot read Job"));
    }
}
