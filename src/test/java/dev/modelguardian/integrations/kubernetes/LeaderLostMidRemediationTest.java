package dev.modelguardian.integrations.kubernetes;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.testing.FaultyApiServer.Call;
import dev.modelguardian.testing.FaultyApiServer.Fault;
import dev.modelguardian.testing.FaultyApiServer;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;

/**
 * Two replicas of {@code serve}, each with its own client, Lease contender and engine, on one mock API server. The
 * leader is cut off from the Lease (its renewals answer 500, or nothing within its client's timeout) in the middle of
 * a rollback, right after ROLLING_BACK is persisted: it stops acting at once (its engine's next step finds it is no
 * longer the leader), never acts again even when the API answers it again, and the other replica takes the Lease over
 * and finishes the rollback: the flag off, the restart, ROLLED_BACK, one Job.
 */
class LeaderLostMidRemediationTest {

    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration RENEW = Duration.ofMillis(1500);
    static final Duration RETRY = Duration.ofMillis(300);
    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final Call LEASE_CALLS = Call.of("Lease get/update", "GET", "/apis/coordination.k8s.io/v1/namespaces/"
            + NAMESPACE + "/leases/");
    static final Call LEASE_UPDATES = Call.of("Lease update", "PUT", "/apis/coordination.k8s.io/v1/namespaces/"
            + NAMESPACE + "/leases/");
    static final TargetSpec TARGET = new TargetSpec(CRON_JOB, CRON_JOB, List.of("ticket-duration-predictor"),
            new RecoverySpec(Map.of(), Optional.of(NeuralHive.DEPLOYMENT), true, true, Duration.ofMinutes(5),
                    Duration.ofMinutes(5), false, Optional.of(NeuralHive.FLAG_CONFIG_MAP),
                    Map.of(NeuralHive.FLAG, new RecoverySpec.FlagKey("false", Optional.empty()))));

    /** One replica: its client, Lease contender, engine and the steps it persisted. */
    record Replica(KubernetesClient client, Leadership leadership, RemediationEngine engine, AtomicInteger steps) {
    }

    FaultyApiServer api;
    KubernetesClient world;
    MutableClock clock = new MutableClock();
    volatile Runnable onRollingBack = () -> { };
    Replica a;
    Replica b;

    @BeforeEach
    void setUp() {
        api = FaultyApiServer.start();
        world = api.worldClient();
        NeuralHive.install(world);
        clock.set(T0);
        // a's requests can be faulted (its User-Agent); b's never are.
        a = replica("guardian-a", api.guardianClient());
        b = replica("guardian-b", api.worldClient());
    }

    @AfterEach
    void tearDown() {
        api.healAll();
        for (Replica r : List.of(a, b)) {
            r.leadership().stop();
            r.client().close();
        }
        world.close();
        api.stop();
    }

    private Replica replica(String name, KubernetesClient client) {
        Leadership leadership = new Leadership(client, NAMESPACE, "model-guardian-leader", name, LEASE, RENEW, RETRY,
                () -> { });
        AtomicInteger steps = new AtomicInteger();
        RemediationListener listener = new RemediationListener() {
            @Override
            public void stepped(Step step) {
                steps.incrementAndGet();
                if (step.after().current().state() == RemediationState.ROLLING_BACK
                        && step.before().current().state() != RemediationState.ROLLING_BACK) {
                    onRollingBack.run();
                }
            }
        };
        RemediationEngine engine = new RemediationEngine(new PolicyEngine(null, clock), List.of(), List.of(TARGET),
                new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"),
                new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), clock),
                new RemediationPolicy(Duration.ofHours(1), 3, false, false, Duration.ofMinutes(45),
                        Duration.ofMinutes(5), "ml-retrain-emergency"),
                50, clock, listener, leadership::isLeader, Optional.empty(),
                new ModelServerResources(client, NAMESPACE));
        return new Replica(client, leadership, engine, steps);
    }

    private TargetRecord record() {
        return new ConfigMapStateStore(world, NAMESPACE, "model-guardian-state").load().targets().get(CRON_JOB);
    }

    private List<String> jobs() {
        return world.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
                .map(j -> j.getMetadata().getName()).toList();
    }

    @ParameterizedTest(name = "the leader's Lease calls answer {0}")
    @EnumSource(value = Fault.class, names = { "SERVER_ERROR", "TIMEOUT" })
    void givenTheLeaderLosesTheLeaseMidRollback_whenBothGoOn_thenTheOldOneStopsAtOnceAndTheNewOneFinishes(
            Fault fault) {
        a.leadership().start();
        await().atMost(Duration.ofSeconds(10)).until(a.leadership()::isLeader);
        b.leadership().start();
        a.engine().request(TARGET, true, "remediate --force");
        assertThat(jobs()).hasSize(1);
        NeuralHive.finish(world, jobs().getFirst(), "Failed", "BackoffLimitExceeded");
        onRollingBack = () -> {
            api.inject(LEASE_CALLS, fault);
            api.inject(LEASE_UPDATES, fault);
            // The leader is paused between two steps of its rollback until it knows it no longer leads.
            await().atMost(RENEW.multipliedBy(3)).until(() -> !a.leadership().isLeader());
        };

        RemediationEngine.TargetReport report = a.engine().followUp().getFirst();

        onRollingBack = () -> { };
        assertThat(report.problem()).contains("not-leader");
        TargetRecord left = record();
        assertThat(left.current().state()).isEqualTo(RemediationState.ROLLING_BACK);
        assertThat(left.progress().done()).as("no rollback action taken by the old leader").isEmpty();
        assertThat(NeuralHive.flag(world)).isEqualTo("true");
        assertThat(NeuralHive.restartedAt(world)).isNull();
        int stepsOfA = a.steps().get();

        a.engine().followUp();
        a.engine().runCycle();
        assertThat(record()).as("the old leader writes nothing more").isEqualTo(left);

        await().atMost(LEASE.multipliedBy(4)).until(b.leadership()::isLeader);
        b.engine().followUp();

        TargetRecord end = record();
        assertThat(end.current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(end.history()).singleElement().satisfies(h -> {
            assertThat(h.outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
            assertThat(h.reason()).startsWith("Job " + jobs().getFirst() + " failed: BackoffLimitExceeded;");
            assertThat(h.actions()).hasSize(2);
        });
        assertThat(NeuralHive.flag(world)).isEqualTo("false");
        assertThat(NeuralHive.restartedAt(world)).isNotNull();
        assertThat(jobs()).hasSize(1);

        api.healAll();
        a.engine().followUp();
        a.engine().request(TARGET, true, "remediate --force");
        assertThat(a.leadership().isLeader()).as("a lost Lease is never led again").isFalse();
        assertThat(a.steps().get()).as("steps persisted by the old leader after the loss").isEqualTo(stepsOfA);
        assertThat(record()).isEqualTo(end);
    }
}
