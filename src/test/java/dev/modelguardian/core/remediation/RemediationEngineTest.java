package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.RecordingListener;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * The engine wired as the application wires it, against the fabric8 mock server in CRUD mode holding Neural Hive's
 * training CronJob, with the duration predictor's MAE ratio read from a scraped /metrics endpoint.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(ScrapedModelProfile.class)
class RemediationEngineTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final String BREACH = ScrapedModelProfile.BREACH;
    static final String HEALTHY = ScrapedModelProfile.HEALTHY;

    @Inject
    RemediationEngine engine;

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    RecordingListener recorded;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    @Inject
    GuardianConfig config;

    @Inject
    TrainingTrigger trainingJobs;

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        clock.set(T0);
        recorded.clear();
        ScrapeTarget.ENDPOINT.set(BREACH);
    }

    @AfterEach
    void tearDown() {
        clock.reset();
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }

    private TargetRecord record() {
        return new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load().targets().get(CRON_JOB);
    }

    /** An engine like the application's, with other guards. */
    private RemediationEngine engine(boolean requireApproval, boolean dryRun, StateStore store) {
        RemediationPolicy policy = new RemediationPolicy(Duration.ofHours(1), 3, requireApproval, dryRun,
                Duration.ofMinutes(45), Duration.ofMinutes(5), "ml-retrain-emergency");
        return new RemediationEngine(policyEngine, Policies.from(models), KubeBeans.targets(models), store,
                trainingJobs, policy, 50, clock, recorded, () -> true, java.util.Optional.empty(),
                new dev.modelguardian.integrations.kubernetes.ModelServerResources(client, NeuralHive.NAMESPACE));
    }

    private String onlyJob() {
        assertThat(jobs()).hasSize(1);
        return jobs().getFirst().getMetadata().getName();
    }

    /** The state ConfigMap, counting whole-state reads, one-target reads and target writes. */
    static class CountingStore implements StateStore {
        final StateStore delegate;
        int loads;
        int targetReads;
        int writes;

        CountingStore(StateStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public GuardianState load() {
            loads++;
            return delegate.load();
        }

        @Override
        public TargetRecord target(String target, Instant now) {
            targetReads++;
            return delegate.target(target, now);
        }

        @Override
        public boolean compareAndSet(String target, long expectedRevision, TargetRecord next) {
            writes++;
            return delegate.compareAndSet(target, expectedRevision, next);
        }

        @Override
        public void savePolicies(java.util.Map<String, dev.modelguardian.core.policy.PolicyStatus> statuses) {
            delegate.savePolicies(statuses);
        }
    }

    @Test
    void givenHealthySignals_whenACycleRuns_thenTheStateIsReadOnceAndNoTargetIsReadAgainOrWritten() {
        ScrapeTarget.ENDPOINT.set(HEALTHY);
        CountingStore store = new CountingStore(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"));
        RemediationEngine counted = engine(false, false, store);
        counted.runCycle();
        store.loads = 0;
        store.targetReads = 0;
        store.writes = 0;

        counted.runCycle();

        assertThat(store.loads).isEqualTo(1);
        assertThat(store.targetReads).isZero();
        assertThat(store.writes).isZero();
    }

    @Test
    void givenFiringPolicy_whenACycleStartsTheJob_thenTheStateIsReadOnceAndTheTargetOnlyToConfirmItAndAfterEachWrite() {
        CountingStore store = new CountingStore(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"));

        engine(false, false, store).runCycle();

        assertThat(jobs()).hasSize(1);
        assertThat(store.loads).isEqualTo(1);
        assertThat(store.writes).isGreaterThanOrEqualTo(3); // FIRING, RETRAINING, the Job created
        // One read confirms the cycle's record before the first write, then one after each write.
        assertThat(store.targetReads).isEqualTo(store.writes + 1);
    }

    @Test
    void givenTheRecordChangedSinceTheCyclesRead_whenTheFirstStepWouldCreateTheJob_thenTheStaleDecisionIsNotActedOn() {
        ConfigMapStateStore real = new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state");
        // A remediation persisted before a crash, its Job not created yet: the cycle's read says "create it".
        TargetRecord initial = real.target(CRON_JOB, T0);
        Snapshot snapshot = new Snapshot("r1", T0, java.util.Map.of(), java.util.Optional.empty(), java.util.Map.of());
        real.compareAndSet(CRON_JOB, initial.revision(), initial.with(new TargetState(RemediationState.RETRAINING, T0,
                java.util.Optional.of("r1"), java.util.Optional.of("ml-retrain-emergency-stale"), false, List.of(),
                false, List.of(T0), java.util.Optional.empty()), initial.progress().withSnapshot(snapshot),
                "retraining"));
        // Right after the cycle's read, another process (a remediate Job resuming it) starts the run under another
        // name and records it: the cycle holds a stale record.
        StateStore racing = new CountingStore(real) {
            @Override
            public GuardianState load() {
                GuardianState read = super.load();
                TargetRecord stored = real.target(CRON_JOB, T0);
                TargetState s = stored.current();
                real.compareAndSet(CRON_JOB, stored.revision(), stored.with(new TargetState(s.state(), s.since(),
                        s.remediationId(), java.util.Optional.of("ml-retrain-emergency-other"), true, s.trigger(),
                        s.approved(), s.recentStarts(), s.lastFinished()), "created by another process"));
                return read;
            }
        };

        engine(false, false, racing).runCycle();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName("ml-retrain-emergency-stale").get())
                .as("no Job from the stale record").isNull();
    }

    @Test
    void givenFiringPolicy_whenACycleRuns_thenExactlyOneJobIsCreatedWithTheKubectlFields() {
        engine.runCycle();
        engine.runCycle();

        Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName("ml-retrain-emergency-"
                + T0.getEpochSecond()).get();
        assertThat(jobs()).hasSize(1);
        assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual")
                .containsEntry("model-guardian.dev/trigger", "ticket-duration-predictor/mae-ratio 1.72 (> 1.5)");
        assertThat(job.getMetadata().getLabels()).containsEntry("model-guardian.dev/remediation-id",
                "r" + T0.getEpochSecond());
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getController()).isTrue());
        assertThat(record().current().state()).isEqualTo(RemediationState.RETRAINING);
        assertThat(record().current().jobCreated()).isTrue();
        assertThat(recorded.path()).containsExactly(RemediationState.FIRING, RemediationState.RETRAINING);
    }

    @Test
    void givenRetraining_whenTheJobCompletes_thenValidatingThenHealthyWithTheRemediationInHistory() {
        engine.runCycle();
        NeuralHive.finish(client, onlyJob(), "Complete", null);
        clock.advance(Duration.ofMinutes(20));

        engine.followUp();

        assertThat(recorded.path()).containsExactly(RemediationState.FIRING, RemediationState.RETRAINING,
                RemediationState.VALIDATING, RemediationState.HEALTHY);
        HistoryEntry last = record().last().orElseThrow();
        assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.RETRAINED);
        assertThat(last.started()).isEqualTo(T0);
        assertThat(last.timeline().approvedBy()).contains(Timeline.AUTO);
        assertThat(StepDurations.finished(last.timeline())).extracting(StepDurations.Step::step,
                StepDurations.Step::seconds).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(StepDurations.FIRING_TO_RETRAINING, 0L),
                        org.assertj.core.groups.Tuple.tuple("Job running", 1200L),
                        org.assertj.core.groups.Tuple.tuple("validation", 0L));
        assertThat(record().timeline()).as("nothing under way").isEqualTo(Timeline.EMPTY);
        assertThat(record().current().lastFinished()).contains(T0.plus(Duration.ofMinutes(20)));
        assertThat(client.events().v1().events().inNamespace(NAMESPACE).list().getItems()).extracting(Event::getReason)
                .contains("RetrainingSucceeded", "Recovered");
    }

    @Test
    void givenRetraining_whenTheJobFails_thenRolledBackWithTheJobsReason() {
        engine.runCycle();
        NeuralHive.finish(client, onlyJob(), "Failed", "DeadlineExceeded");

        engine.runCycle();

        assertThat(record().current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(recorded.path()).endsWith(RemediationState.ROLLING_BACK, RemediationState.ROLLED_BACK);
        assertThat(recorded.steps()).anySatisfy(s -> assertThat(s.after().reason())
                .isEqualTo("Job " + onlyJob() + " failed: DeadlineExceeded"));
        assertThat(record().last().orElseThrow().outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
    }

    @Test
    void givenAScheduledJobIsRunning_whenThePolicyFires_thenItIsAdoptedAndNoJobIsCreated() {
        var cronJob = client.batch().v1().cronjobs().inNamespace(NAMESPACE).withName(CRON_JOB).get();
        client.batch().v1().jobs().inNamespace(NAMESPACE)
                .resource(NeuralHive.scheduledJob(cronJob, CRON_JOB + "-29401320")).create();

        engine.runCycle();

        assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactly(CRON_JOB + "-29401320");
        assertThat(record().current().state()).isEqualTo(RemediationState.RETRAINING);
        assertThat(record().current().jobName()).contains(CRON_JOB + "-29401320");
    }

    @Test
    void givenARemediationEndedWithinTheCooldown_whenThePolicyFiresAgain_thenNoJobUntilTheCooldownPassed() {
        engine.runCycle();
        NeuralHive.finish(client, onlyJob(), "Complete", null);
        engine.runCycle();
        assertThat(record().current().state()).isEqualTo(RemediationState.FIRING);

        clock.advance(Duration.ofMinutes(59));
        engine.runCycle();
        assertThat(jobs()).hasSize(1);

        clock.advance(Duration.ofMinutes(2));
        engine.runCycle();
        assertThat(jobs()).hasSize(2);
    }

    @Test
    void givenThreeRemediationsToday_whenThePolicyFiresAgain_thenTheDailyCapHolds() {
        for (int i = 0; i < 3; i++) {
            engine.runCycle();
            NeuralHive.finish(client, "ml-retrain-emergency-" + clock.instant().getEpochSecond(), "Complete", null);
            engine.runCycle();
            clock.advance(Duration.ofMinutes(61));
        }
        assertThat(jobs()).hasSize(3);

        var report = engine.runCycle();

        assertThat(jobs()).hasSize(3);
        assertThat(report.targets().getFirst().reason()).startsWith("daily cap: 3 remediations started in the last 24h");
    }

    @Test
    void givenDryRun_whenThePolicyFires_thenNothingIsCreatedAndTheJobItWouldCreateIsRecorded() {
        RemediationEngine dry = engine(false, true, new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"));

        dry.runCycle();

        assertThat(jobs()).isEmpty();
        HistoryEntry entry = record().last().orElseThrow();
        assertThat(entry.outcome()).isEqualTo(HistoryEntry.Outcome.DRY_RUN);
        assertThat(entry.reason()).isEqualTo("dry run: would create Job ml-retrain-emergency-" + T0.getEpochSecond()
                + " from CronJob " + CRON_JOB);
    }

    @Test
    void givenApprovalRequired_whenFiring_thenItWaitsAndCreatesTheJobOnlyOnceApproved() {
        RemediationEngine approval = engine(true, false,
                new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"));

        approval.runCycle();
        approval.runCycle();
        assertThat(record().current().state()).isEqualTo(RemediationState.AWAITING_APPROVAL);
        assertThat(jobs()).isEmpty();

        clock.advance(Duration.ofMinutes(7));
        approval.approve(approval.target(CRON_JOB).orElseThrow(), "api-token");

        assertThat(jobs()).hasSize(1);
        assertThat(record().current().state()).isEqualTo(RemediationState.RETRAINING);
        assertThat(record().timeline().approval()).contains(new Timeline.Approval("api-token", T0.plusSeconds(420)));
        assertThat(record().timeline().marks()).containsExactly(new Timeline.Mark(RemediationState.FIRING, T0),
                new Timeline.Mark(RemediationState.AWAITING_APPROVAL, T0),
                new Timeline.Mark(RemediationState.RETRAINING, T0.plusSeconds(420)));
    }

    @Test
    void givenMoreHistoryStoredThanTheLimit_whenTheNextStepIsWritten_thenOnlyTheNewestEntriesAreKept() {
        TargetRecord stored = TargetRecord.initial(T0);
        for (int i = 1; i <= 5; i++) {
            stored = stored.finished(TargetState.healthy(T0), "done", new HistoryEntry("r" + i, java.util.Optional.empty(), T0,
                    T0.plusSeconds(i), HistoryEntry.Outcome.RETRAINED, "Job complete", List.of()), 50);
        }
        ConfigMapStateStore store = new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state");
        assertThat(store.compareAndSet(CRON_JOB, 0, stored)).isTrue();
        RemediationPolicy policy = new RemediationPolicy(Duration.ofHours(1), 3, false, false,
                Duration.ofMinutes(45), Duration.ofMinutes(5), "ml-retrain-emergency");
        RemediationEngine lowered = new RemediationEngine(policyEngine, Policies.from(models),
                KubeBeans.targets(models), store, trainingJobs, policy, 2, clock, recorded, () -> true,
                java.util.Optional.empty(), new dev.modelguardian.integrations.kubernetes.ModelServerResources(client,
                        NeuralHive.NAMESPACE));

        lowered.runCycle();

        assertThat(record().current().state()).as("a step was written").isNotEqualTo(RemediationState.HEALTHY);
        assertThat(record().history()).extracting(HistoryEntry::id).containsExactly("r4", "r5");
    }

    @Test
    void givenARemediationAwaitingApproval_whenRejected_thenItEndsRejectedWithWhoAndWhyNoJobAndTheCooldownHolds() {
        RemediationEngine approval = engine(true, false,
                new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"));
        approval.runCycle();
        approval.runCycle();
        TargetSpec target = approval.target(CRON_JOB).orElseThrow();
        clock.advance(Duration.ofMinutes(3));

        RemediationEngine.TargetReport rejected = approval.reject(target, "alice", "the labels of last night are bad");

        assertThat(rejected.problem()).isEmpty();
        assertThat(record().current().state()).isEqualTo(RemediationState.FIRING);
        HistoryEntry entry = record().last().orElseThrow();
        assertThat(entry.outcome()).isEqualTo(HistoryEntry.Outcome.REJECTED);
        assertThat(entry.reason()).isEqualTo("rejected by alice: the labels of last night are bad");
        assertThat(record().current().lastFinished()).contains(T0.plusSeconds(180));
        assertThat(jobs()).isEmpty();
        // Still firing: the cooldown holds it instead of asking again at once.
        assertThat(approval.runCycle().targets().getFirst().hold()).contains(Hold.COOLDOWN);
        assertThat(record().current().state()).isEqualTo(RemediationState.FIRING);
        assertThat(approval.reject(target, "alice", "again").problem()).contains("not-awaiting-approval");
    }

    @Test
    void givenATrainingPodInImagePullBackOff_whenFollowedUp_thenTheRemediationFailsFastWithThePodsReason() {
        engine.runCycle();
        NeuralHive.waitingPod(client, onlyJob(), "ImagePullBackOff", "Back-off pulling image \"ml:bad\"");

        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(record().last().orElseThrow().trigger()).isNotEmpty();
        assertThat(recorded.steps()).anySatisfy(s -> assertThat(s.after().reason())
                .contains("stuck: pod " + onlyJob() + "-x7k2p container ml-training ImagePullBackOff"));
    }

    @Test
    void givenAJobRunningPastItsDeadlinePlusMargin_whenFollowedUp_thenTimedOut() {
        engine.runCycle();
        clock.advance(Duration.ofMinutes(64));
        engine.followUp();
        assertThat(record().current().state()).isEqualTo(RemediationState.RETRAINING);

        clock.advance(Duration.ofMinutes(2));
        engine.followUp();

        assertThat(recorded.steps()).anySatisfy(s -> assertThat(s.after().reason())
                .isEqualTo("Job " + onlyJob() + " timed out after 1h6m (limit 1h5m)"));
    }

    @Test
    void givenTheCronJobIsMissing_whenFiring_thenNoJobAnEventAndTheRemediationEndsNotStarted() {
        client.batch().v1().cronjobs().inNamespace(NAMESPACE).withName(CRON_JOB).delete();

        engine.runCycle();

        assertThat(jobs()).isEmpty();
        assertThat(record().current().state()).isEqualTo(RemediationState.FIRING);
        assertThat(record().last().orElseThrow().outcome()).isEqualTo(HistoryEntry.Outcome.NOT_STARTED);
        assertThat(recorded.failures()).singleElement().asString()
                .contains("CronJob neural-hive/" + CRON_JOB + " not found");
        List<Event> events = client.events().v1().events().inNamespace(NAMESPACE).list().getItems();
        assertThat(events).extracting(Event::getReason).contains("ActionFailed");
    }

    @Test
    void givenTransitions_whenPersisted_thenEventsRegardTheCronJobAndTheJob() {
        engine.runCycle();

        List<Event> events = client.events().v1().events().inNamespace(NAMESPACE).list().getItems();
        assertThat(events).extracting(Event::getReason)
                .contains("PolicyFiring", "RemediationStarted", "RetrainingJobCreated");
        assertThat(events).filteredOn(e -> e.getReason().equals("RetrainingJobCreated")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getRegarding().getKind()).isEqualTo("Job");
                    assertThat(e.getRegarding().getName()).isEqualTo(onlyJob());
                    assertThat(e.getReportingController()).isEqualTo("model-guardian.dev/guardian");
                });
        assertThat(events).filteredOn(e -> e.getReason().equals("PolicyFiring")).singleElement()
                .satisfies(e -> assertThat(e.getNote()).contains("mae-ratio 1.72 (> 1.5)"));
    }

    @Test
    void givenHealthySignals_whenACycleRuns_thenNothingIsCreated() {
        ScrapeTarget.ENDPOINT.set(HEALTHY);

        engine.runCycle();

        assertThat(jobs()).isEmpty();
        assertThat(record()).isNull();
    }
}
