package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * Several replicas, each with its own client, competing for one Lease on fabric8's CRUD mock API server (which
 * rejects a write with a stale resourceVersion with 409, like the real one).
 */
@EnableKubernetesMockClient(crud = true)
class LeadershipTest {

    private static final String NAMESPACE = "neural-hive";
    private static final String LEASE = "model-guardian-leader";
    private static final Duration RETRY = Duration.ofMillis(200);
    /** Long enough that a loaded 2-core machine does not miss a renewal by accident. */
    private static final Duration RENEW_DEADLINE = Duration.ofMillis(2000);
    private static final Duration LEASE_DURATION = Duration.ofMillis(3000);

    KubernetesMockServer server;
    KubernetesClient client;

    private final List<Replica> replicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() {
        replicas.forEach(r -> {
            r.leadership().stop();
            r.client().close();
        });
    }

    // ---- one leader --------------------------------------------------------------------------

    @Test
    void givenThreeReplicas_whenTheyStart_thenExactlyOneLeadsAndTheLeaseNamesIt() {
        List<Replica> three = List.of(replica("guardian-a"), replica("guardian-b"), replica("guardian-c"));

        three.forEach(r -> r.leadership().start());

        await().atMost(Duration.ofSeconds(10)).until(() -> leaders(three).size() == 1);
        Replica leader = leaders(three).getFirst();
        // Over several retry periods the others keep trying, and fail: still exactly that one.
        await().during(RETRY.multipliedBy(5)).atMost(Duration.ofSeconds(5))
                .until(() -> leaders(three).equals(List.of(leader)));
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leader.leadership().identity());
        assertThat(three).allSatisfy(r -> {
            assertThat(r.leadership().currentLeader()).contains(leader.leadership().identity());
            assertThat(r.lost()).isEmpty();
        });
        assertThat(leader.changes()).containsExactly(true);
    }

    @Test
    void givenAStartedReplica_whenStartedAgain_thenNothingChanges() {
        Replica only = replica("guardian-a");
        only.leadership().start();
        await().atMost(Duration.ofSeconds(10)).until(only.leadership()::isLeader);

        only.leadership().start();

        await().during(RETRY.multipliedBy(3)).atMost(Duration.ofSeconds(5)).until(only.leadership()::isLeader);
        assertThat(only.changes()).containsExactly(true);
    }

    // ---- hand-over on stop -------------------------------------------------------------------

    @Test
    void givenALeader_whenItStops_thenItReleasesTheLeaseAndAnotherTakesOverBeforeTheLeaseWouldExpire() {
        // A 20 s lease: without the release nobody could take over within the 5 s awaited below.
        Duration longLease = Duration.ofSeconds(20);
        List<Replica> three = List.of(replica("guardian-a", longLease), replica("guardian-b", longLease),
                replica("guardian-c", longLease));
        three.forEach(r -> r.leadership().start());
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders(three).size() == 1);
        Replica first = leaders(three).getFirst();

        first.leadership().stop();

        assertThat(first.leadership().isLeader()).isFalse();
        // Released: another replica may already hold it by now, but never the one that stopped.
        assertThat(lease().getSpec().getHolderIdentity()).as("released")
                .isNotEqualTo(first.leadership().identity());
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(three).size() == 1);
        Replica second = leaders(three).getFirst();
        assertThat(second).isNotSameAs(first);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(second.leadership().identity());
        assertThat(first.changes()).containsExactly(true, false);
        assertThat(first.lost()).as("a clean stop is not a lost Lease").isEmpty();
    }

    @Test
    void givenAStoppedReplica_whenStartedAgain_thenItRefuses() {
        Replica only = replica("guardian-a");
        only.leadership().start();
        only.leadership().stop();

        assertThatThrownBy(only.leadership()::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(NAMESPACE + "/" + LEASE);
    }

    // ---- losing the Lease --------------------------------------------------------------------

    @Test
    void givenALeader_whenAnotherHolderTakesTheLease_thenItStopsLeadingAndOnLostRunsOnce() {
        Replica a = replica("guardian-a");
        a.leadership().start();
        await().atMost(Duration.ofSeconds(10)).until(a.leadership()::isLeader);

        takeLease("intruder", Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(5)).until(() -> a.lost().size() == 1);
        assertThat(a.lost()).as("isLeader() while onLost ran").containsExactly(false);
        assertThat(a.leadership().isLeader()).isFalse();
        assertThat(a.changes()).containsExactly(true, false);
        assertThat(a.leadership().currentLeader()).contains("intruder");
        // It never comes back and never reports the loss twice.
        await().during(RETRY.multipliedBy(5)).atMost(Duration.ofSeconds(5))
                .until(() -> !a.leadership().isLeader() && a.lost().size() == 1);
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("intruder");
    }

    @Test
    void givenALeaderCutOffFromTheApiServer_whenTheRenewDeadlinePasses_thenItStopsLeadingAtOnceAndOnLostRuns() {
        AtomicLong nanos = new AtomicLong();
        Replica replica = replica("guardian-a", LEASE_DURATION, nanos::get);
        Leadership a = replica.leadership();
        a.start();
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);

        server.shutdown();
        try (KubernetesClient probe = server.createClient(b -> b.editOrNewConfig()
                .withRequestRetryBackoffLimit(0).endConfig())) {
            assertThatThrownBy(() -> probe.leases().inNamespace(NAMESPACE).withName(LEASE).get())
                    .isInstanceOf(KubernetesClientException.class);
        }
        // From here no renewal can succeed. The replica's client retries a refused request 10 times with
        // exponential back-off (about 100 s in all), and fabric8 checks its renew deadline only between requests:
        // on its own it would go on leading for that long.
        nanos.addAndGet(RENEW_DEADLINE.toNanos());

        assertThat(a.isLeader()).isFalse();
        // Within 5 s, long before fabric8's request gives up: the watchdog reported it.
        await().atMost(Duration.ofSeconds(5)).until(() -> replica.lost().size() == 1);
        assertThat(replica.lost()).containsExactly(false);
        assertThat(replica.changes()).containsExactly(true, false);
    }

    // ---- identity ----------------------------------------------------------------------------

    @Test
    void givenConfiguredIdentity_whenResolved_thenItWinsOverPodNameAndHostname() {
        assertThat(Leadership.identity(Optional.of("replica-1"),
                Map.of("POD_NAME", "model-guardian-7d9f-abcde", "HOSTNAME", "host"))).isEqualTo("replica-1");
    }

    @Test
    void givenPodName_whenResolved_thenItWinsOverHostname() {
        assertThat(Leadership.identity(Optional.empty(),
                Map.of("POD_NAME", "model-guardian-7d9f-abcde", "HOSTNAME", "host"))).isEqualTo("model-guardian-7d9f-abcde");
    }

    @Test
    void givenOnlyHostname_whenResolved_thenHostnameIsUsed() {
        assertThat(Leadership.identity(Optional.empty(), Map.of("POD_NAME", " ", "HOSTNAME", "host")))
                .isEqualTo("host");
    }

    @Test
    void givenNothing_whenResolved_thenARandomGuardianIdentity() {
        String one = Leadership.identity(Optional.empty(), Map.of());
        String two = Leadership.identity(Optional.of(""), Map.of("HOSTNAME", ""));

        assertThat(one).matches("model-guardian-[0-9a-f]{8}");
        assertThat(two).matches("model-guardian-[0-9a-f]{8}").isNotEqualTo(one);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Replica replica(String identity) {
        return replica(identity, LEASE_DURATION);
    }

    private Replica replica(String identity, Duration leaseDuration) {
        return replica(identity, leaseDuration, System::nanoTime);
    }

    /** A replica with its own client; its onLost notes what {@link Leadership#isLeader()} said at that moment. */
    private Replica replica(String identity, Duration leaseDuration, LongSupplier nanoTime) {
        KubernetesClient own = server.createClient();
        List<Boolean> lost = new CopyOnWriteArrayList<>();
        AtomicReference<Leadership> self = new AtomicReference<>();
        Leadership leadership = new Leadership(own, NAMESPACE, LEASE, identity, leaseDuration, RENEW_DEADLINE, RETRY,
                () -> lost.add(self.get().isLeader()), nanoTime);
        self.set(leadership);
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        leadership.onChange(changes::add);
        Replica replica = new Replica(leadership, lost, changes, own);
        replicas.add(replica);
        return replica;
    }

    private static List<Replica> leaders(List<Replica> candidates) {
        return candidates.stream().filter(r -> r.leadership().isLeader()).toList();
    }

    private Lease lease() {
        return client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
    }

    /** Writes another holder into the Lease, renewed now, as a replica unknown to this test would. */
    private void takeLease(String holder, Duration duration) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptionsInstanceOf(KubernetesClientException.class)
                .until(() -> {
                    Lease current = lease();
                    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                    client.resource(new LeaseBuilder(current).editSpec()
                            .withHolderIdentity(holder)
                            .withLeaseDurationSeconds((int) duration.toSeconds())
                            .withAcquireTime(now)
                            .withRenewTime(now)
                            .endSpec().build()).update();
                    return true;
                });
    }

    /**
     * One replica under test.
     *
     * @param lost one entry per onLost call: what isLeader() said during it
     * @param changes what the onChange listener was told, in order
     */
    private record Replica(Leadership leadership, List<Boolean> lost, List<Boolean> changes, KubernetesClient client) {
    }
}
