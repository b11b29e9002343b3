package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * The engine dies right after each persisted step (and right after creating its Job, before recording it); a new
 * engine on the same cluster state resumes at that step, and there is only ever one Job.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(ScrapedModelProfile.class)
class CrashResumeTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");

    /** The process dies: nothing after this runs. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("crash", null, false, false);
        }
    }

    /** A store that lets {@code writes} target writes through and dies on the next one, before writing it. */
    static final class CrashingStore implements StateStore {
        private final StateStore delegate;
        private final AtomicInteger left;

        CrashingStore(StateStore delegate, int writes) {
            this.delegate = delegate;
            this.left = new AtomicInteger(writes);
        }

        @Override
        public GuardianState load() {
            return delegate.load();
        }

        @Override
        public boolean compareAndSet(String target, long expectedRevision, TargetRecord next) {
            if (left.getAndDecrement() <= 0) {
                throw new Crash();
            }
            return delegate.compareAndSet(target, expectedRevision, next);
        }

        @Override
        public void savePolicies(Map<String, PolicyStatus> statuses) {
            delegate.savePolicies(statuses);
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        clock.set(T0);
        ScrapeTarget.ENDPOINT.set(RemediationEngineTest.BREACH);
    }

    @AfterEach
    void tearDown() {
        clock.reset();
    }

    /** A fresh process: its own store and Job cache, nothing shared with the one that died but the cluster. */
    private RemediationEngine process(StateStore store) {
        RemediationPolicy policy = new RemediationPolicy(Duration.ofHours(1), 3, false, false, Duration.ofMinutes(45),
                Duration.ofMinutes(5), "ml-retrain-emergency");
        TrainingJobs jobs = new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), clock);
        return new RemediationEngine(policyEngine, Policies.from(models), KubeBeans.targets(models), store, jobs,
                policy, 50, clock, RemediationListener.NONE, () -> true, java.util.Optional.empty(),
                new dev.modelguardian.integrations.kubernetes.ModelServerResources(client, NAMESPACE));
    }

    private ConfigMapStateStore cluster() {
        return new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state");
    }

    /** Plays the Job controller: every Job that exists completes. */
    private void completeJobs() {
        for (Job job : client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()) {
            if (job.getStatus() == null || job.getStatus().getConditions() == null
                    || job.getStatus().getConditions().isEmpty()) {
                NeuralHive.finish(client, job.getMetadata().getName(), "Complete", null);
            }
        }
    }

    @ParameterizedTest(name = "crash after {0} persisted steps leaves {1}, jobCreated={2}, {3} Job(s)")
    @CsvSource({
            "0, , false, 0",
            "1, FIRING, false, 0",
            // RETRAINING persisted, the snapshot not yet taken
            "2, RETRAINING, false, 0",
            // snapshot persisted; the Job is created and the crash comes before it is recorded
            "3, RETRAINING, false, 1",
            "4, RETRAINING, true, 1",
            "5, VALIDATING, true, 1",
    })
    void givenTheEngineDiesAfterAPersistedStep_whenANewEngineRuns_thenItResumesThereWithExactlyOneJob(int writes,
            RemediationState persisted, boolean jobCreated, int jobs) {
        RemediationEngine dying = process(new CrashingStore(cluster(), writes));
        boolean crashed = false;
        try {
            dying.runCycle();
            completeJobs();
            clock.advance(Duration.ofMinutes(10));
            dying.followUp();
        } catch (Crash expected) {
            crashed = true;
        }
        assertThat(crashed).as("the engine died after %d writes", writes).isTrue();
        TargetRecord atCrash = cluster().load().targets().get(CRON_JOB);
        if (persisted == null) {
            assertThat(atCrash).isNull();
        } else {
            assertThat(atCrash.current().state()).isEqualTo(persisted);
            assertThat(atCrash.current().jobCreated()).isEqualTo(jobCreated);
        }
        int jobsAtCrash = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().size();
        assertThat(jobsAtCrash).as("the Job exists once its creation has been attempted").isEqualTo(jobs);
        if (writes >= 3) {
            assertThat(atCrash.progress().snapshot()).as("the snapshot is persisted before the Job is created")
                    .isPresent();
        }

        RemediationEngine next = process(cluster());
        next.runCycle();
        completeJobs();
        clock.advance(Duration.ofMinutes(10));
        next.followUp();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        TargetRecord end = cluster().load().targets().get(CRON_JOB);
        assertThat(end.history()).singleElement()
                .satisfies(h -> assertThat(h.outcome()).isEqualTo(HistoryEntry.Outcome.RETRAINED));
        // The remediation ended; the MAE ratio still breaches, so the target may fire again, held by the cooldown.
        assertThat(end.current().state()).isIn(RemediationState.HEALTHY, RemediationState.FIRING);
        assertThat(end.current().lastFinished()).isPresent();
    }
}
