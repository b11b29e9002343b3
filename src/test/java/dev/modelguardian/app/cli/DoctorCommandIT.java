package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

import dev.modelguardian.testing.AccessReviews;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;

/**
 * The packaged application's {@code doctor} (SelfSubjectAccessReviews, the typed clients, JSON-free table output)
 * against the CRUD mock server and a real Prometheus; the API server's address reaches it through the config file.
 */
@QuarkusMainIntegrationTest
class DoctorCommandIT {

    static KubernetesMockServer server;
    static AccessReviews reviews = new AccessReviews();
    static PrometheusServer prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), reviews, false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            NeuralHive.install(client);
            NeuralHive.installModelServer(client);
        }
        prometheus = PrometheusServer.shared();
        prometheus.endpoint().set(CheckCommandTest.METRICS);
        prometheus.awaitSamples("orchestration_ml_model_accuracy{model_name=\"anomaly-predictor\"}", 1);
    }

    @AfterAll
    static void stop() {
        server.destroy();
    }

    @Test
    void givenAMissingPermission_whenDoctorRuns_thenEverythingElseIsOkAndTheRuleIsNamedWithExit1(
            QuarkusMainLauncher launcher) throws IOException {
        reviews.denied.add("create events.events.k8s.io");
        Path config = Files.writeString(dir.resolve("guardian.yaml"), """
                quarkus:
                  kubernetes-client:
                    api-server-url: %s
                    trust-certs: true
                guardian:
                  namespace: %s
                  prometheus:
                    url: %s
                """.formatted(server.createClient().getConfiguration().getMasterUrl(), NAMESPACE, prometheus.url()));

        LaunchResult result = launcher.launch("doctor", "--config", config.toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("OK\\s+cronjob/" + CRON_JOB)
                .containsPattern("OK\\s+signal/ticket-duration-predictor/mae-percentage\\s+value 12.5")
                .containsPattern("FAIL\\s+rbac\\s+missing: create events.events.k8s.io in neural-hive")
                .contains("1 fail -> problems found (exit 1)");
    }
}
