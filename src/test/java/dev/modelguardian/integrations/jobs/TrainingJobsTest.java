package dev.modelguardian.integrations.jobs;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

import dev.modelguardian.core.check.DidYouMean;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.NeuralHive;

/** Training Jobs on the fabric8 mock server in CRUD mode, with a CronJob shaped like Neural Hive's. */
@EnableKubernetesMockClient(crud = true)
class TrainingJobsTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    KubernetesClient client;
    CronJob cronJob;
    TrainingJobs jobs;

    @BeforeEach
    void setUp() {
        cronJob = NeuralHive.install(client);
        jobs = new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
    }

    @Test
    void givenNeuralHiveCronJob_whenAJobIsCreated_thenItHasTheFieldsKubectlCreateJobFromGives() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "ml-retrain-emergency-1764000000", "r1764000000",
                "ticket-duration-predictor/mae-ratio 1.72 (above 1.5)");

        Job job = job("ml-retrain-emergency-1764000000");
        assertThat(job.getMetadata().getAnnotations())
                .containsEntry("cronjob.kubernetes.io/instantiate", "manual")
                .containsEntry("model-guardian.dev/trigger", "ticket-duration-predictor/mae-ratio 1.72 (above 1.5)");
        assertThat(job.getMetadata().getLabels())
                .containsEntry("model-guardian.dev/remediation-id", "r1764000000")
                .containsEntry("model-guardian.dev/target", CRON_JOB);
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("CronJob");
            assertThat(ref.getApiVersion()).isEqualTo("batch/v1");
            assertThat(ref.getName()).isEqualTo(CRON_JOB);
            assertThat(ref.getUid()).isEqualTo(cronJob.getMetadata().getUid()).isNotBlank();
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getCommand()).contains("/app/scripts/train_models_production.py"));
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("orchestrator-dynamic");
    }

    @Test
    void givenTheJobWasCreatedBeforeACrash_whenCreatedAgain_thenThereIsStillExactlyOneJob() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "ml-retrain-emergency-1", "r1", "t");

        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "ml-retrain-emergency-1", "r1", "t");

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void givenAForeignJobWithTheSameName_whenCreated_thenPermanentErrorSaysItIsNotOurs() {
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(NeuralHive.scheduledJob(cronJob, "taken")).create();

        assertThatThrownBy(() -> jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "taken", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("is not the one of remediation r1");
    }

    @Test
    void givenTheRunbookCronJobName_whenCreated_thenPermanentErrorNamesTheClosestExistingCronJob() {
        assertThatThrownBy(() -> jobs.start(new TargetSpec("t", "orchestrator-ml-training", List.of()), "j", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessage("CronJob neural-hive/orchestrator-ml-training not found; closest existing CronJob: "
                        + CRON_JOB);
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void givenAScheduledJobRunning_whenActiveJobsAreListed_thenItIsFound() {
        client.batch().v1().jobs().inNamespace(NAMESPACE)
                .resource(NeuralHive.scheduledJob(cronJob, CRON_JOB + "-29401320")).create();

        assertThat(jobs.running(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), Optional.empty())).contains(CRON_JOB + "-29401320");
        assertThat(jobs.running(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), Optional.of(CRON_JOB + "-29401320"))).isEmpty();
        assertThat(jobs.running(new TargetSpec("other-cronjob", "other-cronjob", List.of()), Optional.empty())).isEmpty();
    }

    @Test
    void givenAScheduledJobThatFinished_whenActiveJobsAreListed_thenItIsNotActive() {
        client.batch().v1().jobs().inNamespace(NAMESPACE)
                .resource(NeuralHive.scheduledJob(cronJob, CRON_JOB + "-29401320")).create();
        NeuralHive.finish(client, CRON_JOB + "-29401320", "Failed", "DeadlineExceeded");

        assertThat(jobs.running(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), Optional.empty())).isEmpty();
    }

    @Test
    void givenARunningJob_whenObserved_thenRunningWithItsDeadlineAndPodPhases() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Running(Optional.of(Duration.ofHours(1)),
                "no pod yet"));
    }

    @Test
    void givenCompleteCondition_whenObserved_thenSucceeded() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        NeuralHive.finish(client, "j1", "Complete", null);

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenFailedConditionDeadlineExceeded_whenObserved_thenFailedWithTheReason() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        NeuralHive.finish(client, "j1", "Failed", "DeadlineExceeded");

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Failed("DeadlineExceeded"));
    }

    @Test
    void givenAPodInImagePullBackOff_whenObserved_thenStuckWithPodContainerAndMessage() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        NeuralHive.waitingPod(client, "j1", "ImagePullBackOff", "Back-off pulling image \"ml:bad\"");

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Stuck(
                "pod j1-x7k2p container ml-training ImagePullBackOff: Back-off pulling image \"ml:bad\""));
    }

    @Test
    void givenAPodUnschedulableLongerThanTheGrace_whenObserved_thenStuck() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        NeuralHive.unschedulablePod(client, "j1", NOW.minus(Duration.ofMinutes(12)));

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Stuck(
                "pod j1-q9w4z Unschedulable for 12m (grace 10m): 0/3 nodes are available: 3 Insufficient memory."));
    }

    @Test
    void givenAPodUnschedulableWithinTheGrace_whenObserved_thenStillRunning() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        NeuralHive.unschedulablePod(client, "j1", NOW.minus(Duration.ofMinutes(3)));

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Running(Optional.of(Duration.ofHours(1)),
                "1 pod Pending"));
    }

    @Test
    void givenAJobDeletedByTheHistoryLimitAfterTheWatchSawItComplete_whenObserved_thenTheOutcomeIsKept() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        NeuralHive.finish(client, "j1", "Complete", null);
        jobs.seen(job("j1"));
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("j1").delete();

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenAJobDeletedBeforeItsOutcomeWasSeen_whenObserved_thenNotFound() {
        jobs.start(new TargetSpec(CRON_JOB, CRON_JOB, List.of()), "j1", "r1", "t");
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("j1").delete();

        assertThat(jobs.observe("j1")).isEqualTo(new JobObservation.NotFound());
    }

    @Test
    void givenTwoNames_whenDistanceIsComputed_thenItIsTheEditDistance() {
        assertThat(DidYouMean.distance("orchestrator-ml-training", CRON_JOB)).isEqualTo(8);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
    }
}
