package dev.modelguardian.integrations.jobs;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.NeuralHive;

/**
 * The informer of the guardian's own Jobs on the fabric8 mock server in CRUD mode: what it hands on when a Job ends,
 * what it remembers, and that {@link TrainingJobs#observe} reads from its cache while it runs.
 */
@EnableKubernetesMockClient(crud = true)
class JobInformerTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final Duration RESYNC = Duration.ofSeconds(1);

    KubernetesMockServer server;
    KubernetesClient client;
    CronJob cronJob;
    TrainingJobs jobs;
    JobInformer informer;
    /** The names {@code onEnded} got, in order. */
    final List<String> ended = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        cronJob = NeuralHive.install(client);
        jobs = new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
        informer = new JobInformer(client, jobs, RESYNC);
    }

    @AfterEach
    void tearDown() {
        informer.close();
    }

    private void startAndSync() {
        informer.start(ended::add);
        await().atMost(Duration.ofSeconds(10)).until(informer::synced);
    }

    private void awaitCached(String name, boolean present) {
        await().atMost(Duration.ofSeconds(10)).until(() -> informer.cached(name).isPresent() == present);
    }

    @Test
    void givenTheInformerRunning_whenAGuardianJobBecomesComplete_thenOnEndedGetsItAndTheObservationIsSucceeded() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        assertThat(ended).isEmpty();

        NeuralHive.finish(client, "j1", "Complete", null);

        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains("j1"));
        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenTheInformerRunning_whenAGuardianJobFailsOnItsDeadline_thenOnEndedGetsItAndTheObservationSaysWhy() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();

        NeuralHive.finish(client, "j1", "Failed", "DeadlineExceeded");

        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains("j1"));
        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Failed("DeadlineExceeded"));
    }

    @Test
    void givenTheInformerSynced_whenAFinishedJobIsObserved_thenTheApiServerIsNotAsked() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        NeuralHive.finish(client, "j1", "Complete", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains("j1"));
        int requests = server.getRequestCount();

        JobObservation seen = jobs.observe("j1");

        assertThat(seen).isEqualTo(new JobObservation.Succeeded());
        assertThat(server.getRequestCount()).as("requests to the API server for the observation").isEqualTo(requests);
    }

    @Test
    void givenTheInformerSynced_whenARunningJobIsObserved_thenOnlyItsPodsAreListedFromTheApiServer() throws Exception {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        awaitCached("j1", true);
        NeuralHive.waitingPod(client, "j1", "ImagePullBackOff", "Back-off pulling image \"ml:bad\"");
        int requests = server.getRequestCount();

        JobObservation seen = jobs.observe("j1");

        assertThat(seen).isEqualTo(new JobObservation.Stuck(
                "pod j1-x7k2p container ml-training ImagePullBackOff: Back-off pulling image \"ml:bad\""));
        assertThat(server.getRequestCount()).isEqualTo(requests + 1);
        assertThat(server.getLastRequest().getPath()).startsWith("/api/v1/namespaces/" + NAMESPACE + "/pods");
    }

    @Test
    void givenAPodUnschedulableLongerThanTheGrace_whenObservedFromTheCache_thenStuck() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        awaitCached("j1", true);
        NeuralHive.unschedulablePod(client, "j1", NOW.minus(Duration.ofMinutes(12)));

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Stuck(
                "pod j1-q9w4z Unschedulable for 12m (grace 10m): 0/3 nodes are available: 3 Insufficient memory."));
    }

    @Test
    void givenTheInformerSawAJobComplete_whenTheHistoryLimitDeletesIt_thenTheOutcomeIsKept() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        NeuralHive.finish(client, "j1", "Complete", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains("j1"));

        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("j1").delete();
        awaitCached("j1", false);

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenARunningGuardianJob_whenItIsDeleted_thenOnEndedGetsItAndTheOutcomeIsUnknown() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        awaitCached("j1", true);

        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("j1").delete();

        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains("j1"));
        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.NotFound());
    }

    @Test
    void givenAGuardianJobThatFinishedBeforeTheInformerStarted_whenItSyncs_thenOnEndedGetsIt() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        NeuralHive.finish(client, "j1", "Complete", null);

        startAndSync();

        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains("j1"));
    }

    @Test
    void givenAScheduledJobWithoutTheGuardianLabel_whenItFinishes_thenTheInformerIgnoresItButActiveJobFoundIt() {
        String scheduled = CRON_JOB + "-29401320";
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(NeuralHive.scheduledJob(cronJob, scheduled))
                .create();
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        assertThat(jobs.running(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), Optional.of("j1"))).contains(scheduled);

        NeuralHive.finish(client, scheduled, "Complete", null);
        NeuralHive.finish(client, "j1", "Complete", null);

        // One watch, in order: once j1's end is here, the scheduled Job's would have come before it.
        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains("j1"));
        assertThat(ended).doesNotContain(scheduled);
        assertThat(informer.cached(scheduled)).isEmpty();
        assertThat(jobs.running(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), Optional.empty())).isEmpty();
        assertThat(jobs.observe(scheduled)).as("read with a GET").isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenAFinishedJobAlreadyHandedOn_whenTheInformerResyncs_thenItIsNotHandedOnAgain() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        NeuralHive.finish(client, "j1", "Complete", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains("j1"));

        // Three resync periods.
        await().during(RESYNC.multipliedBy(3)).atMost(RESYNC.multipliedBy(5)).until(() -> ended.size() == 1);
    }

    @Test
    void givenTheInformerClosed_whenAJobFinishes_thenNothingIsHandedOnAndObserveReadsWithAGet() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        startAndSync();
        awaitCached("j1", true);

        informer.close();
        NeuralHive.finish(client, "j1", "Complete", null);

        assertThat(informer.synced()).isFalse();
        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Succeeded());
        assertThat(ended).isEmpty();
    }

    @Test
    void givenAClosedInformer_whenStartedAgain_thenItStaysStopped() {
        informer.close();

        informer.start(ended::add);

        assertThat(informer.synced()).isFalse();
    }
}
