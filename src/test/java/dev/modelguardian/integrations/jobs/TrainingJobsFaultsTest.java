package dev.modelguardian.integrations.jobs;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.NeuralHive;

/**
 * What the API server can answer instead of creating the Job, on the mock server in expectations mode: which answers
 * end the remediation (permanent) and which are retried next cycle (transient), and what the message says.
 */
@EnableKubernetesMockClient
class TrainingJobsFaultsTest {

    static final String CRON_JOBS = "/apis/batch/v1/namespaces/" + NAMESPACE + "/cronjobs/" + CRON_JOB;
    static final String JOBS = "/apis/batch/v1/namespaces/" + NAMESPACE + "/jobs";

    KubernetesMockServer server;
    KubernetesClient client;
    TrainingJobs jobs;

    @BeforeEach
    void setUp() {
        server.expect().get().withPath(CRON_JOBS).andReturn(200, NeuralHive.trainingCronJob()).always();
        // The client's own retries (for 5xx and 429) would hide the answer under test.
        KubernetesClient noRetries = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
        jobs = new TrainingJobs(noRetries, NAMESPACE, Duration.ofMinutes(10), Clock.systemUTC());
    }

    private static Object status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
                .build();
    }

    @Test
    void givenRbacForbidsCreatingJobs_whenCreated_thenPermanentAndTheMessageSaysWhichGrant() {
        server.expect().post().withPath(JOBS).andReturn(403, status(403, "Forbidden",
                "jobs.batch is forbidden: User \"system:serviceaccount:neural-hive:model-guardian\" cannot create"
                        + " resource \"jobs\"")).once();

        assertThatThrownBy(() -> jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("cannot create Job neural-hive/j1: forbidden (403)")
                .hasMessageContaining("grant the guardian's ServiceAccount");
    }

    @Test
    void givenTheApiRejectsTheJob_whenCreated_thenPermanentWithTheApisReason() {
        server.expect().post().withPath(JOBS).andReturn(422, status(422, "Invalid",
                "Job.batch \"j1\" is invalid: spec.template.spec.containers[0].image: Required value")).once();

        assertThatThrownBy(() -> jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("the API rejected it (422)")
                .hasMessageContaining("containers[0].image: Required value");
    }

    @Test
    void givenTheApiServerFails_whenCreated_thenTransientSoTheNextCycleRetries() {
        server.expect().post().withPath(JOBS).andReturn(500, status(500, "InternalError", "etcdserver: leader changed"))
                .once();

        assertThatThrownBy(() -> jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class,
                        e -> assertThat(e.permanent()).isFalse())
                .hasMessageContaining("HTTP 500").hasMessageContaining("etcdserver: leader changed");
    }

    @Test
    void givenTooManyRequests_whenCreated_thenTransient() {
        server.expect().post().withPath(JOBS).andReturn(429, status(429, "TooManyRequests", "slow down")).once();

        assertThatThrownBy(() -> jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class,
                        e -> assertThat(e.permanent()).isFalse());
    }
}
