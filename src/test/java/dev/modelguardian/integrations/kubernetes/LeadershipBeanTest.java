package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The CDI wiring: injecting the Leadership builds it from the configuration and does not start it. */
@QuarkusTest
@TestProfile(LeadershipBeanTest.Replica7.class)
@WithKubernetesTestServer(crud = true)
class LeadershipBeanTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    Leadership leadership;

    @Test
    void givenTheApplication_whenLeadershipIsInjected_thenItIsConfiguredButHasNotTouchedTheCluster() {
        assertThat(leadership.identity()).isEqualTo("replica-7");
        assertThat(leadership.isLeader()).isFalse();
        // A started elector reads the Lease at once; a second is ample time for that first request to arrive.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> server.getKubernetesMockServer().getRequestCount() == 0);
    }

    /** A fixed identity, so the test does not depend on the machine's HOSTNAME. */
    public static class Replica7 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("guardian.leader.identity", "replica-7");
        }
    }
}
