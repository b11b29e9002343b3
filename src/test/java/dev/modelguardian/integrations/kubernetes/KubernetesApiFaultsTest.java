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
import dev.modelguardian.testing.Runbook.Path;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.ScrapeTarget;

/**
 * {@link KubernetesApiFaults} for Neural Hive's target, trained by a Job made from its CronJob: every call of the
 * runbook, the Job's own among them (read the CronJob, create, read and list Jobs, list the Job's pods), answered with
 * 409, 500 or nothing.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class KubernetesApiFaultsTest extends KubernetesApiFaults {

    static final String BATCH = "/apis/batch/v1/namespaces/" + NAMESPACE;
    static final Call LIST_JOBS = new Call("list Jobs", "GET",
            r -> r.getPath().startsWith(BATCH + "/jobs") && !r.getPath().startsWith(BATCH + "/jobs/"));
    static final Call CREATE_JOB = Call.of("create Job", "POST", BATCH + "/jobs");
    static final Call GET_JOB = Call.of("get Job", "GET", BATCH + "/jobs/");
    static final Call LIST_PODS = Call.of("list pods of the Job", "GET", CORE + "/pods", "job-name");
    static final Call GET_CRON_JOB = Call.of("get CronJob", "GET", BATCH + "/cronjobs/");

    @Override
    Runbook.Training training() {
        return Runbook.Training.JOB_FROM_CRONJOB;
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                // call, fault, path, what the call that met it came to, what the guardian said
                Arguments.of(READ_STATE, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot read state ConfigMap neural-hive/model-guardian-state: HTTP 409"),
                Arguments.of(READ_STATE, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot read state ConfigMap neural-hive/model-guardian-state: HTTP 500"),
                Arguments.of(READ_STATE, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot read state ConfigMap neural-hive/model-guardian-state: the Kubernetes API did not"
                                + " answer"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "still conflicting (409) after 8 attempts"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot write state ConfigMap neural-hive/" + TARGET_STATE + ": HTTP 500"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot write state ConfigMap neural-hive/" + TARGET_STATE + ": the Kubernetes API did not"
                                + " answer"),
                Arguments.of(WRITE_STATE_JOB_CREATED, Fault.TIMEOUT_AFTER_APPLYING, Path.PROMOTED,
                        Effect.CYCLE_FAILED, "the Kubernetes API did not answer"),
                Arguments.of(LIST_JOBS, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot list Jobs: HTTP 409"),
                Arguments.of(LIST_JOBS, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot list Jobs: HTTP 500"),
                Arguments.of(LIST_JOBS, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot list Jobs: the Kubernetes API did not answer"),
                Arguments.of(GET_CRON_JOB, Fault.CONFLICT, Path.PROMOTED, Effect.RETRIED,
                        "cannot read CronJob orchestrator-dynamic-ml-training: HTTP 409"),
                Arguments.of(GET_CRON_JOB, Fault.SERVER_ERROR, Path.PROMOTED, Effect.RETRIED,
                        "cannot read CronJob orchestrator-dynamic-ml-training: HTTP 500"),
                Arguments.of(GET_CRON_JOB, Fault.TIMEOUT, Path.PROMOTED, Effect.RETRIED,
                        "cannot read CronJob orchestrator-dynamic-ml-training: the Kubernetes API did not answer"),
                Arguments.of(CREATE_JOB, Fault.CONFLICT, Path.PROMOTED, Effect.NOT_STARTED,
                        "already exists in neural-hive and is not the one of remediation"),
                Arguments.of(CREATE_JOB, Fault.SERVER_ERROR, Path.PROMOTED, Effect.RETRIED, ": HTTP 500"),
                Arguments.of(CREATE_JOB, Fault.TIMEOUT, Path.PROMOTED, Effect.RETRIED,
                        "the Kubernetes API did not answer"),
                Arguments.of(CREATE_JOB, Fault.TIMEOUT_AFTER_APPLYING, Path.PROMOTED, Effect.RETRIED,
                        "the Kubernetes API did not answer"),
                Arguments.of(GET_JOB, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot read Job"),
                Arguments.of(GET_JOB, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot read Job"),
                Arguments.of(GET_JOB, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot read Job"),
                Arguments.of(LIST_PODS, Fault.CONFLICT, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot list pods of Job"),
                Arguments.of(LIST_PODS, Fault.SERVER_ERROR, Path.PROMOTED, Effect.CYCLE_FAILED,
                        "cannot list pods of Job"),
                Arguments.of(LIST_PODS, Fault.TIMEOUT, Path.PROMOTED, Effect.CYCLE_FAILED, "cannot list pods of Job"),
                Arguments.of(READ_FLAGS, Fault.CONFLICT, Path.PROMOTED, Effect.NOT_STARTED,
                        "cannot read ConfigMap orchestrator-dynamic-config: HTTP 409"),
                Arguments.of(READ_FLAGS, Fault.SERVER_ERROR, Path.PROMOTED, Effect.NOT_STARTED,
                        "cannot read ConfigMap orchestrator-dynamic-config: HTTP 500"),
                Arguments.of(READ_FLAGS, Fault.TIMEOUT, Path.PROMOTED, Effect.NOT_STARTED,
                        "cannot read ConfigMap orchestrator-dynamic-config: the Kubernetes API did not answer"),
                Arguments.of(PATCH_FLAGS, Fault.CONFLICT, Path.VALIDATION_FAILED, Effect.RETRIED,
                        "cannot patch ConfigMap orchestrator-dynamic-config: HTTP 409"),
                Arguments.of(PATCH_FLAGS, Fault.SERVER_ERROR, Path.VALIDATION_FAILED, Effect.RETRIED,
                        "cannot patch ConfigMap orchestrator-dynamic-config: HTTP 500"),
                Arguments.of(PATCH_FLAGS, Fault.TIMEOUT, Path.VALIDATION_FAILED, Effect.RETRIED,
                        "cannot patch ConfigMap orchestrator-dynamic-config: the Kubernetes API did not answer"),
                Arguments.of(PATCH_FLAGS, Fault.TIMEOUT_AFTER_APPLYING, Path.VALIDATION_FAILED, Effect.RETRIED,
                        "cannot patch ConfigMap orchestrator-dynamic-config: the Kubernetes API did not answer"),
                Arguments.of(READ_DEPLOYMENT, Fault.CONFLICT, Path.PROMOTED, Effect.NOT_STARTED,
                        "cannot read Deployment orchestrator-dynamic: HTTP 409"),
                Arguments.of(READ_DEPLOYMENT, Fault.SERVER_ERROR, Path.PROMOTED, Effect.NOT_STARTED,
                        "cannot read Deployment orchestrator-dynamic: HTTP 500"),
                Arguments.of(READ_DEPLOYMENT, Fault.TIMEOUT, Path.PROMOTED, Effect.NOT_STARTED,
                        "cannot read Deployment orchestrator-dynamic: the Kubernetes API did not answer"),
                Arguments.of(PATCH_DEPLOYMENT, Fault.CONFLICT, Path.PROMOTED, Effect.RETRIED,
                        "cannot restart Deployment orchestrator-dynamic: HTTP 409"),
                Arguments.of(PATCH_DEPLOYMENT, Fault.SERVER_ERROR, Path.PROMOTED, Effect.RETRIED,
                        "cannot restart Deployment orchestrator-dynamic: HTTP 500"),
                Arguments.of(PATCH_DEPLOYMENT, Fault.TIMEOUT, Path.PROMOTED, Effect.RETRIED,
                        "cannot restart Deployment orchestrator-dynamic: the Kubernetes API did not answer"),
                Arguments.of(PATCH_DEPLOYMENT, Fault.TIMEOUT_AFTER_APPLYING, Path.PROMOTED, Effect.RETRIED,
                        "cannot restart Deployment orchestrator-dynamic: the Kubernetes API did not answer"),
                Arguments.of(CREATE_EVENT, Fault.CONFLICT, Path.PROMOTED, Effect.ABSORBED, ""),
                Arguments.of(CREATE_EVENT, Fault.SERVER_ERROR, Path.PROMOTED, Effect.ABSORBED, ""),
                Arguments.of(CREATE_EVENT, Fault.TIMEOUT, Path.PROMOTED, Effect.ABSORBED, ""));
    }
}
