package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.integrations.kubernetes.ModelServerResources;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.ScrapedModelProfile;

/** {@code rollback}: its exit codes, the dry run that changes nothing, and a rollback that turns the flag off. */
@QuarkusMainTest
class RollbackCommandTest {

    static KubernetesMockServer server;
    static MetricsEndpoint metrics;

    @TempDir
    static Path dir;
    static Path config;

    KubernetesClient client;

    @BeforeAll
    static void startCluster() throws IOException {
        server = MainTestCluster.start();
        metrics = new MetricsEndpoint();
        config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  scrape:
                    url: %s
                  models:
                    ticket-duration-predictor:
                      signals:
                        mae-ratio:
                          source: scrape
                          metric: orchestration_ml_drift_score
                          above: 1.5
                  targets:
                    %s:
                      models: [ticket-duration-predictor]
                      deployment: %s
                      rollback:
                        config-map: %s
                        keys:
                          %s:
                            value: "false"
                            permanent: config.scheduler.enableMlEnhancedScheduling=false
                """.formatted(NAMESPACE, metrics.url(), CRON_JOB, NeuralHive.DEPLOYMENT, NeuralHive.FLAG_CONFIG_MAP,
                NeuralHive.FLAG));
    }

    @AfterAll
    static void stopCluster() {
        MainTestCluster.stop(server);
        metrics.close();
    }

    @BeforeEach
    void setUp() {
        client = server.createClient();
        NeuralHive.reset(client);
        metrics.set(ScrapedModelProfile.HEALTHY);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private LaunchResult rollback(QuarkusMainLauncher launcher, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "rollback";
        all[1] = "--config";
        all[2] = config.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return launcher.launch(all);
    }

    @Test
    void givenDryRun_whenRollbackRuns_thenThePlanIsPrintedAndNothingChanges(QuarkusMainLauncher launcher) {
        LaunchResult result = rollback(launcher, "--target", CRON_JOB, "--dry-run");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("would (dry run, nothing changed)")
                .contains("ConfigMap orchestrator-dynamic-config: ENABLE_ML_ENHANCED_SCHEDULING true -> false")
                .contains("Deployment orchestrator-dynamic restarted")
                .contains("set config.scheduler.enableMlEnhancedScheduling=false in the Helm values");
        assertThat(NeuralHive.flag(client)).isEqualTo("true");
        assertThat(NeuralHive.restartedAt(client)).isNull();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("model-guardian-state").get()).isNull();
    }

    @Test
    void givenNoRemediationEver_whenRollbackRuns_thenTheFlagIsOffTheServerRestartedAndItIsRecorded(
            QuarkusMainLauncher launcher) {
        LaunchResult result = rollback(launcher, "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
        assertThat(NeuralHive.restartedAt(client)).isNotNull();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName(NeuralHive.FLAG_CONFIG_MAP).get().getMetadata()
                .getAnnotations()).containsEntry(ModelServerResources.PREVIOUS_VALUES,
                        "{\"ENABLE_ML_ENHANCED_SCHEDULING\":\"true\"}");
        assertThat(result.getOutput()).contains("rolled back: rollback requested by hand; rolled back: ConfigMap"
                + " orchestrator-dynamic-config: ENABLE_ML_ENHANCED_SCHEDULING true -> false");

        LaunchResult again = rollback(launcher, "--target", CRON_JOB);
        assertThat(again.exitCode()).as("a second rollback gives the same result").isZero();
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
    }

    @Test
    void givenTheFlagConfigMapIsMissing_whenRollbackRuns_thenExit3NamingItAndNothingChanged(
            QuarkusMainLauncher launcher) {
        client.configMaps().inNamespace(NAMESPACE).withName(NeuralHive.FLAG_CONFIG_MAP).delete();

        LaunchResult result = rollback(launcher, "--target", CRON_JOB);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("ConfigMap neural-hive/orchestrator-dynamic-config not found")
                .contains("nothing was changed");
        assertThat(NeuralHive.restartedAt(client)).isNull();
    }

    @Test
    void givenAnUnknownTarget_whenRollbackRuns_thenExit3ListingTheKnownTargets(QuarkusMainLauncher launcher) {
        LaunchResult result = rollback(launcher, "--target", "nope");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("no training target 'nope'; known targets: [" + CRON_JOB + "]");
    }
}
