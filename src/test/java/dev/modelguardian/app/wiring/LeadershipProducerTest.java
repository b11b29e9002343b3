package dev.modelguardian.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.integrations.kubernetes.Leadership;
import dev.modelguardian.integrations.metrics.GuardianMetrics;
import dev.modelguardian.testing.TestConfigs;

/** How {@code guardian.leader.*} becomes a {@link Leadership} and its gauge, without Quarkus. */
@EnableKubernetesMockClient(crud = true)
class LeadershipProducerTest {

    KubernetesMockServer server;
    KubernetesClient client;
    final MeterRegistry registry = new SimpleMeterRegistry();
    final GuardianMetrics metrics = new GuardianMetrics(registry);

    @Test
    void givenLeaderSettings_whenBuilt_thenNothingTouchesTheClusterUntilStart() {
        Leadership leadership = LeadershipProducer.leadership(TestConfigs.fromYaml("""
                guardian:
                  leader:
                    lease: orchestrator-guardian
                    identity: replica-7
                """), client, "neural-hive", Map.of("POD_NAME", "ignored"), () -> { }, metrics);

        assertThat(leadership.identity()).isEqualTo("replica-7");
        assertThat(leadership.isLeader()).isFalse();
        assertThat(registry.get("guardian.leader").gauge().value()).isZero();
        // A started elector reads the Lease at once; a second is ample time for that first request to arrive.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> server.getRequestCount() == 0);
    }

    @Test
    void givenLeaderSettings_whenStarted_thenItHoldsTheConfiguredLeaseForTheConfiguredDurationAndTheGaugeSaysSo() {
        Leadership leadership = LeadershipProducer.leadership(TestConfigs.fromYaml("""
                guardian:
                  leader:
                    lease: orchestrator-guardian
                    lease-duration: 7s
                    renew-deadline: 5s
                    retry-period: 200ms
                """), client, "neural-hive", Map.of("POD_NAME", "model-guardian-6c9d-x2k4p"), () -> { }, metrics);
        try {
            leadership.start();

            await().atMost(Duration.ofSeconds(10)).until(leadership::isLeader);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("guardian.leader").gauge().value() == 1.0);
            Lease lease = client.leases().inNamespace("neural-hive").withName("orchestrator-guardian").get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("model-guardian-6c9d-x2k4p");
            assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(7);
        } finally {
            leadership.stop();
        }
    }
}
