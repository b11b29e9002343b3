package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.Leadership;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * Three replicas, each with its own Lease contender, engine, store and Job cache, share one mock cluster and run
 * their cycles at the same time, as three sidecars would: exactly one acts; when it goes, another takes over.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(ScrapedModelProfile.class)
class ThreeReplicasTest {

    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration RENEW = Duration.ofMillis(1500);
    static final Duration RETRY = Duration.ofMillis(300);

    /** One sidecar. */
    record Replica(String name, Leadership leadership, RemediationEngine engine, AtomicInteger steps) {
    }

    @Inject
    KubernetesClient client;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    final List<Replica> replicas = new ArrayList<>();

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
        for (int i = 0; i < 3; i++) {
            String name = "orchestrator-dynamic-7d9f-" + i;
            Leadership leadership = new Leadership(client, NAMESPACE, "model-guardian-leader", name, LEASE, RENEW,
                    RETRY, () -> { });
            AtomicInteger steps = new AtomicInteger();
            RemediationListener counting = new RemediationListener() {
                @Override
                public void stepped(Step step) {
                    steps.incrementAndGet();
                }
            };
            RemediationPolicy policy = new RemediationPolicy(Duration.ofHours(1), 3, false, false,
                    Duration.ofMinutes(45), Duration.ofMinutes(5), "ml-retrain-emergency");
            RemediationEngine engine = new RemediationEngine(policyEngine, Policies.from(models),
                    KubeBeans.targets(models), new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"),
                    new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), java.time.Clock.systemUTC()), policy,
                    50, java.time.Clock.systemUTC(), counting, leadership::isLeader, java.util.Optional.empty(),
                    new dev.modelguardian.integrations.kubernetes.ModelServerResources(client, NAMESPACE));
            replicas.add(new Replica(name, leadership, engine, steps));
        }
    }

    @AfterEach
    void tearDown() {
        replicas.forEach(r -> r.leadership().stop());
    }

    private List<Replica> leaders() {
        return replicas.stream().filter(r -> r.leadership().isLeader()).toList();
    }

    /** Every replica runs {@code cycle} at the same time, as their schedulers would. */
    private void allAtOnce(java.util.function.Consumer<RemediationEngine> cycle) {
        CompletableFuture.allOf(replicas.stream()
                .map(r -> CompletableFuture.runAsync(() -> cycle.accept(r.engine())))
                .toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void givenThreeReplicas_whenAllRunTheirCyclesAtOnce_thenOnlyTheLeaderActsAndThereIsOneJob() {
        replicas.forEach(r -> r.leadership().start());
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders().size() == 1);
        Replica leader = leaders().getFirst();

        for (int round = 0; round < 3; round++) {
            allAtOnce(RemediationEngine::runCycle);
        }

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        assertThat(leader.steps().get()).as("steps persisted by the leader").isGreaterThanOrEqualTo(3);
        assertThat(replicas).filteredOn(r -> r != leader).allSatisfy(r -> assertThat(r.steps().get())
                .as("steps persisted by %s, not the leader", r.name()).isZero());
    }

    @Test
    void givenTheLeaderGoesAway_whenTheJobFinishes_thenTheNextLeaderRecordsTheOutcome() {
        replicas.forEach(r -> r.leadership().start());
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders().size() == 1);
        Replica first = leaders().getFirst();
        allAtOnce(RemediationEngine::runCycle);
        String job = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().getFirst().getMetadata()
                .getName();

        first.leadership().stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders().size() == 1 && leaders().getFirst() != first);
        Replica second = leaders().getFirst();
        NeuralHive.finish(client, job, "Complete", null);
        allAtOnce(RemediationEngine::followUp);

        TargetRecord record = new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load().targets()
                .get(CRON_JOB);
        assertThat(record.last()).hasValueSatisfying(h -> assertThat(h.outcome())
                .isEqualTo(HistoryEntry.Outcome.RETRAINED));
        assertThat(second.steps().get()).isPositive();
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }
}
