package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * {@code serve} as it runs in the sidecar: the packaged artifact as its own process (the native binary when one was
 * built, else {@code java -jar target/quarkus-app/quarkus-run.jar}), configured only through {@code --config}, system
 * properties and environment, against the CRUD mock API server and a scrape endpoint whose MAE ratio breaches its
 * bound. A {@code @QuarkusMainIntegrationTest} launch waits for the process to exit, which serve never does by
 * itself; so this test starts and stops the process itself.
 */
class ServeIT {

    @TempDir
    Path dir;

    KubernetesMockServer server;
    KubernetesClient client;
    MetricsEndpoint metrics;
    Process serve;
    Path log;

    @BeforeEach
    void setUp() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        NeuralHive.install(client);
        metrics = new MetricsEndpoint();
        metrics.set(ScrapedModelProfile.BREACH);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        client.close();
        server.destroy();
        metrics.close();
    }

    /**
     * The command line that starts the packaged artifact with {@code properties} as system properties: after the
     * binary for a native executable, before {@code -jar} for the JVM (after it they would be program arguments).
     * The binary only when this build produced one (Quarkus's target/quarkus-artifact.properties says so, as it
     * tells the other ITs): a binary left in target by an earlier native build must not stand in for the jar. JVM
     * flags go to the JVM only; the binary rejects them.
     */
    static List<String> artifact(List<String> properties) throws IOException {
        Path nativeBinary = Path.of(System.getProperty("native.image.path", "target/none-runner"));
        List<String> command = new ArrayList<>();
        if (builtArtifactType().equals("native") && Files.isExecutable(nativeBinary)) {
            command.add(nativeBinary.toAbsolutePath().toString());
            command.addAll(properties);
            return command;
        }
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged application (mvn package)").exists();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        return command;
    }

    /** {@code type} of target/quarkus-artifact.properties: {@code jar} or {@code native}. */
    static String builtArtifactType() throws IOException {
        Properties artifact = new Properties();
        try (var in = Files.newInputStream(Path.of("target/quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        return artifact.getProperty("type", "");
    }

    @Test
    void givenAFiringPolicy_whenServeRunsAsAProcess_thenExactlyOneTrainingJobIsCreatedAndSigtermReleasesTheLease()
            throws IOException, InterruptedException {
        Path config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  interval: 1s
                  scrape:
                    url: %s
                """.formatted(NAMESPACE, metrics.url()) + ScrapedModelProfile.MAE_RATIO_MODELS);
        List<String> command = artifact(List.of("-Dkubernetes.master=" + client.getConfiguration().getMasterUrl(),
                "-Dkubernetes.trust.certificates=true", "-Dkubernetes.auth.tryKubeConfig=false",
                "-Dquarkus.http.port=0"));
        command.addAll(List.of("serve", "--config", config.toString()));
        log = Path.of("target/serve-it.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("POD_NAME", "guardian-serve-it");
        builder.environment().remove("KUBECONFIG");

        serve = builder.start();

        await("one training Job created by serve").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("serve exited early; its output is in " + log, () -> !serve.isAlive())
                .until(() -> !jobs().isEmpty());
        // Several more cycles: the policy still fires, and the guardian must not start a second Job.
        Thread.sleep(3_000);
        assertThat(serve.isAlive()).as(Files.readString(log)).isTrue();
        List<Job> jobs = jobs();
        assertThat(jobs).as(Files.readString(log)).hasSize(1);
        Job job = jobs.get(0);
        assertThat(job.getMetadata().getName()).startsWith("ml-retrain-emergency-");
        assertThat(job.getMetadata().getAnnotations()).containsEntry(TrainingJobs.INSTANTIATE, "manual");
        assertThat(job.getMetadata().getLabels()).containsKey(TrainingJobs.REMEDIATION_ID)
                .containsEntry(TrainingJobs.TARGET, CRON_JOB);
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo(CRON_JOB));
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("model-guardian-state-" + CRON_JOB).get()
                .getData()).containsKey("target." + CRON_JOB + ".json");
        assertThat(Files.readString(log)).as("cycles read the targets' records from the state informer")
                .contains("State informer in namespace " + NAMESPACE + " synced");

        serve.destroy(); // SIGTERM, as the kubelet sends it

        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        Lease lease = client.leases().inNamespace(NAMESPACE).withName("model-guardian-leader").get();
        assertThat(lease.getSpec().getHolderIdentity()).as("released on SIGTERM: " + Files.readString(log)).isEmpty();
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }
}
