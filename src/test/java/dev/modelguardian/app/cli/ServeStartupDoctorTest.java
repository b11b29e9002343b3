package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.integrations.kubernetes.CapturedLog;
import dev.modelguardian.testing.AccessReviews;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * {@code serve} runs the checks of {@code doctor} at start-up, against the CRUD mock API server holding Neural
 * Hive's objects, configured with the runbook's CronJob name (a FAIL). With {@code guardian.doctor.fail-fast} it stops
 * with exit 3 before competing for the Lease; without, it logs the result and serves. A serve that serves never exits
 * by itself, so that test takes the Lease away from it (another holder), which ends it with its documented exit 1.
 */
@QuarkusMainTest
class ServeStartupDoctorTest {

    static final String IDENTITY = "serve-doctor-test";
    static final String WRONG_CRON_JOB = "orchestrator-ml-training";

    static KubernetesMockServer server;
    static AccessReviews reviews = new AccessReviews();
    static MetricsEndpoint metrics;

    @TempDir
    Path dir;

    KubernetesClient client;

    @BeforeAll
    static void start() {
        server = MainTestCluster.start(reviews);
        metrics = new MetricsEndpoint();
        metrics.set(ScrapedModelProfile.HEALTHY);
    }

    @AfterAll
    static void stop() {
        MainTestCluster.stop(server);
        metrics.close();
    }

    @BeforeEach
    void setUp() {
        client = server.createClient();
        NeuralHive.reset(client);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private Path config(boolean failFast) throws IOException {
        return Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  doctor:
                    fail-fast: %s
                  leader:
                    identity: %s
                    lease-duration: 3s
                    renew-deadline: 2s
                    retry-period: 500ms
                  scrape:
                    url: %s
                  models:
                    ticket-duration-predictor:
                      signals:
                        mae-ratio:
                          source: scrape
                          metric: orchestration_ml_drift_score
                          labels:
                            drift_type: prediction
                          above: 1.5
                  targets:
                    %s:
                      cron-job: %s
                      models: [ticket-duration-predictor]
                """.formatted(NAMESPACE, failFast, IDENTITY, metrics.url(), CRON_JOB, WRONG_CRON_JOB));
    }

    private Lease lease() {
        return client.leases().inNamespace(NAMESPACE).withName("model-guardian-leader").get();
    }

    @Test
    void givenFailFastAndAFailingCheck_whenServeStarts_thenItLogsTheFailureAndExits3WithoutTakingTheLease(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("serve", "--config", config(true).toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("model-guardian: serve: 1 doctor check failed (logged above,"
                + " each with its fix) and guardian.doctor.fail-fast is true; not serving");
        assertThat(result.getOutput() + result.getErrorOutput())
                .contains("doctor: FAIL cronjob/" + WRONG_CRON_JOB + ": CronJob " + NAMESPACE + "/" + WRONG_CRON_JOB
                        + " not found; closest existing CronJob: " + CRON_JOB + "; fix: set guardian.targets."
                        + CRON_JOB + ".cron-job: " + CRON_JOB)
                .containsPattern("doctor at start-up: \\d+ checks in namespace neural-hive: \\d+ ok, \\d+ warn, 1 fail;"
                        + " guardian.doctor.fail-fast is true: not serving");
        assertThat(lease()).as("serve never competed for the Lease").isNull();
    }

    @Test
    void givenNoFailFastAndAFailingCheck_whenServeStarts_thenItLogsTheFailureAndServesAnyway(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = config(false);
        CompletableFuture<Void> takeLeaseAway;
        LaunchResult result;
        try (CapturedLog log = CapturedLog.of("dev.modelguardian")) {
            takeLeaseAway = CompletableFuture.runAsync(() -> {
                try {
                    // The Lease is written before the elector calls back: wait for the callback's line too.
                    await("serve logged the doctor's result and leads").atMost(Duration.ofSeconds(60))
                            .until(() -> log.all().stream().anyMatch(l -> l.startsWith("doctor at start-up:"))
                                    && log.all().stream().anyMatch(l -> l.startsWith("leading: this replica"))
                                    && lease() != null && IDENTITY.equals(lease().getSpec().getHolderIdentity()));
                } finally {
                    // Ends serve in any case: another holder, renewed just now, for a minute.
                    client.leases().inNamespace(NAMESPACE).withName("model-guardian-leader").edit(l ->
                            new LeaseBuilder(l).editSpec().withHolderIdentity("another-replica")
                                    .withRenewTime(ZonedDateTime.now()).withLeaseDurationSeconds(60).endSpec()
                                    .build());
                }
            });
            result = launcher.launch("serve", "--config", config.toString());
        }

        takeLeaseAway.join();
        String out = result.getOutput() + result.getErrorOutput();
        assertThat(result.exitCode()).as(out).isEqualTo(1);
        assertThat(out)
                .contains("doctor: FAIL cronjob/" + WRONG_CRON_JOB + ": CronJob " + NAMESPACE + "/" + WRONG_CRON_JOB
                        + " not found")
                .containsPattern("doctor at start-up: \\d+ checks in namespace neural-hive: \\d+ ok, \\d+ warn, 1 fail;"
                        + " serving anyway \\(guardian.doctor.fail-fast is false\\)")
                .contains("leading: this replica (" + IDENTITY + ") holds Lease neural-hive/model-guardian-leader")
                .contains("lost Lease neural-hive/model-guardian-leader");
        // One line per failed check: the cron job's FAIL is logged once.
        assertThat(out.split("doctor: FAIL cronjob/", -1)).hasSize(2);
    }
}
