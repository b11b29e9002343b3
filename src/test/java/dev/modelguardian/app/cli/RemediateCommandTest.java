package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.MlflowStandIn;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PodLogServer;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * {@code remediate} as a one-shot Job would run it, against the fabric8 mock server in CRUD mode; the test plays the
 * Job controller. Everything reaches the application through {@code --config}, as in production.
 */
@QuarkusMainTest
class RemediateCommandTest {

    static KubernetesMockServer server;
    /** The CRUD server, plus the pods' log endpoint. */
    static PodLogServer api = new PodLogServer();
    static MetricsEndpoint metrics;
    static MlflowStandIn mlflow;

    @TempDir
    static Path dir;
    static Path config;
    /** With MLflow: validation, promotion and a 2s verify window, so a forced remediation runs to its end. */
    static Path withRegistry;

    KubernetesClient client;
    Watch controller;
    Watch restarts;

    static final String MODEL = "ticket-duration-predictor";

    @BeforeAll
    static void startCluster() throws IOException {
        server = MainTestCluster.start(api);
        metrics = new MetricsEndpoint();
        config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  scrape:
                    url: %s
                  remediation:
                    cooldown: 1h
                    # A missed watch event costs little.
                    relist-interval: 200ms
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
                      models: [ticket-duration-predictor]
                """.formatted(NAMESPACE, metrics.url(),
                CRON_JOB));
        mlflow = MlflowStandIn.startNew();
        withRegistry = Files.writeString(dir.resolve("with-registry.yaml"), Files.readString(config)
                .replace("guardian:\n", "guardian:\n  mlflow:\n    url: " + mlflow.url() + "\n    retries: 1\n"
                        + "    retry-backoff: 10ms\n")
                .replace("      models: [ticket-duration-predictor]\n", """
                              models: [ticket-duration-predictor]
                              deployment: %s
                              verify-window: 2s
                        """.formatted(NeuralHive.DEPLOYMENT))
                .replace("      signals:\n", """
                              validation:
                                rules:
                                  mae_percentage: "< 15"
                              signals:
                        """));
    }

    @AfterAll
    static void stopCluster() {
        MainTestCluster.stop(server);
        metrics.close();
        mlflow.stop();
    }

    @BeforeEach
    void setUp() {
        client = server.createClient();
        NeuralHive.reset(client);
        client.pods().inNamespace(NAMESPACE).delete();
        api.logs.clear();
        api.failures.clear();
        api.requests.clear();
        metrics.set(ScrapedModelProfile.BREACH);
        mlflow.reset();
        mlflow.model(MODEL).productionVersion("1", Map.of("mae_percentage", 11.8));
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        if (restarts != null) {
            restarts.close();
        }
        client.close();
    }

    private LaunchResult remediate(QuarkusMainLauncher launcher, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "remediate";
        all[1] = "--config";
        all[2] = config.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return launcher.launch(all);
    }

    /** Plays the Job controller: every Job the guardian creates ends with {@code type} as soon as it appears. */
    private void jobsEndWith(String type, String reason) {
        controller = client.batch().v1().jobs().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    NeuralHive.finish(client, job.getMetadata().getName(), type, reason);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    /** Plays the training: every Job the guardian creates registers v2 with {@code mae} in MLflow, then completes. */
    private void trainingRegisters(double mae) {
        controller = client.batch().v1().jobs().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    mlflow.model(MODEL).version("2", Map.of("mae_percentage", mae));
                    NeuralHive.finish(client, job.getMetadata().getName(), "Complete", null);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    /** The model server breaches its bound as soon as it is restarted with the promoted version. */
    private void breachesAfterTheRestart() {
        restarts = client.apps().deployments().inNamespace(NAMESPACE).withName(NeuralHive.DEPLOYMENT)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Deployment deployment) {
                        var annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
                        if (annotations != null && annotations.containsKey("kubectl.kubernetes.io/restartedAt")) {
                            metrics.set(ScrapedModelProfile.BREACH);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }

    @Test
    void givenFiringPolicyAndAJobThatCompletes_whenRemediated_thenExit0WithProgressLines(QuarkusMainLauncher launcher) {
        jobsEndWith("Complete", null);

        LaunchResult result = remediate(launcher, "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput())
                .containsPattern("\\[\\s*\\d+s\\] " + CRON_JOB + " HEALTHY -> FIRING  firing: ticket-duration-predictor/mae-ratio 1.72")
                .containsPattern("\\[\\s*\\d+s\\] " + CRON_JOB + " RETRAINING  Job ml-retrain-emergency-\\d+ created from CronJob")
                .containsPattern(CRON_JOB + " RETRAINING -> VALIDATING  Job ml-retrain-emergency-\\d+ complete")
                .containsPattern("remediation r\\d+ ended retrained");
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void givenAnotherTargetsServiceDown_whenOneTargetIsRemediated_thenItEndsRetrainedNotCountingThatError(
            QuarkusMainLauncher launcher) throws IOException {
        // A second target, trained through a pipeline service that does not answer, has a run under way: every
        // follow-up fails to observe it. remediate waits on its own target only.
        Path twoTargets = Files.writeString(dir.resolve("two-targets.yaml"), Files.readString(config)
                .replace("  targets:\n", """
                          targets:
                            pipeline-trained:
                              models: [queue-predictor]
                              trigger:
                                kind: http
                                http:
                                  start:
                                    url: http://127.0.0.1:%1$d/runs
                                    body: '{"name": "{run}"}'
                                    run-id: /id
                                  status:
                                    url: http://127.0.0.1:%1$d/runs/{run-id}
                                    state: /state
                                    succeeded: [SUCCEEDED]
                                    failed: [FAILED]
                                  runs:
                                    url: http://127.0.0.1:%1$d/runs
                                    items: /runs
                                    name: /name
                        """.formatted(PrometheusServer.closedPort()))
                .replace("  models:\n", """
                          models:
                            queue-predictor:
                              signals:
                                drift:
                                  source: scrape
                                  metric: orchestration_ml_drift_score
                                  labels:
                                    drift_type: prediction
                                  above: 100
                        """));
        Instant started = Instant.now().minusSeconds(60);
        TargetState training = new TargetState(RemediationState.RETRAINING, started, Optional.of("r1"),
                Optional.of("ml-retrain-pipeline-trained-1"), true, List.of(), false, List.of(started),
                Optional.empty());
        assertThat(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").compareAndSet(
                "pipeline-trained", 0, new TargetRecord(1, training, "run ml-retrain-pipeline-trained-1 started",
                        Progress.EMPTY, Map.of(), List.of()))).isTrue();
        jobsEndWith("Complete", null);

        LaunchResult result = launcher.launch("remediate", "--config", twoTargets.toString(), "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput()).containsPattern("remediation r\\d+ ended retrained");
        assertThat(result.getErrorOutput()).doesNotContain("(attempt ");
    }

    @Test
    void givenAJobThatFails_whenRemediated_thenExit2TrainingFailed(QuarkusMainLauncher launcher) {
        jobsEndWith("Failed", "BackoffLimitExceeded");

        LaunchResult result = remediate(launcher, "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(2);
        assertThat(result.getOutput()).contains("ended rolled_back");
    }

    @Test
    void givenAJobWhosePodFails_whenRemediated_thenItsLastLinesAreKeptAndShownByStatusAndTheEvent(
            QuarkusMainLauncher launcher) {
        controller = client.batch().v1().jobs().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    String name = job.getMetadata().getName();
                    NeuralHive.trainingPod(client, name, "x7k2p", Instant.now(), 1);
                    api.logs.put(name + "-x7k2p/ml-training", "epoch 1/20 - loss: 0.912\n"
                            + "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n");
                    NeuralHive.finish(client, name, "Failed", "BackoffLimitExceeded");
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });

        LaunchResult result = remediate(launcher, "--target", CRON_JOB, "--no-logs");
        LaunchResult status = launcher.launch("status", "--config", config.toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(2);
        String job = jobs().getFirst().getMetadata().getName();
        assertThat(status.getOutput()).as(status.getOutput())
                .contains("    training log 2 lines of pod " + job + "-x7k2p container ml-training:\n"
                        + "      | epoch 1/20 - loss: 0.912\n"
                        + "      | RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
        assertThat(client.events().v1().events().inNamespace(NAMESPACE).list().getItems())
                .filteredOn(e -> e.getReason().equals("RetrainingFailed")).singleElement()
                .satisfies(e -> assertThat(e.getNote()).endsWith("\n2 lines of pod " + job + "-x7k2p container"
                        + " ml-training:\nepoch 1/20 - loss: 0.912\nRuntimeError: CUDA out of memory. Tried to"
                        + " allocate 2.00 GiB"));
        assertThat(api.requests).as("read once, at the failure, never followed with --no-logs").singleElement()
                .asString().contains("tailLines=40");
    }

    /**
     * Plays the Job controller and the kubelet: every Job the guardian creates runs a first pod that fails (its log
     * says why), a second that succeeds, and then completes. The logs are there before the pods are.
     */
    private void jobsRetryOnce() {
        jobsRetryOnce(null);
    }

    /** As {@link #jobsRetryOnce()}; the pods' logs answer {@code logCode} instead when it is not null. */
    private void jobsRetryOnce(Integer logCode) {
        controller = client.batch().v1().jobs().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    String name = job.getMetadata().getName();
                    api.logs.put(name + "-a", "attempt 1: loading features\nValueError: queue_depth is NaN\n");
                    api.logs.put(name + "-b", "attempt 2: loading features\nepoch 1/1 - val_mae: 11.2\n");
                    if (logCode != null) {
                        api.failures.put(name + "-a", logCode);
                        api.failures.put(name + "-b", logCode);
                    }
                    NeuralHive.trainingPod(client, name, "a", Instant.now(), 1);
                    NeuralHive.trainingPod(client, name, "b", Instant.now().plusSeconds(1), 0);
                    NeuralHive.finish(client, name, "Complete", null);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @Test
    void givenAJobRetriedAfterAFailedAttempt_whenRemediated_thenEveryPodsLogIsPrintedOnceInOrderBehindItsName(
            QuarkusMainLauncher launcher) {
        jobsRetryOnce();

        LaunchResult result = remediate(launcher, "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        String job = jobs().getFirst().getMetadata().getName();
        List<String> logLines = result.getOutput().lines().filter(l -> l.contains(" | ")).toList();
        assertThat(logLines).hasSize(4);
        assertThat(logLines.get(0)).matches("\\[\\s*\\d+s\\] " + job + "-a \\| attempt 1: loading features");
        assertThat(logLines.get(1)).endsWith(job + "-a | ValueError: queue_depth is NaN");
        assertThat(logLines.get(2)).endsWith(job + "-b | attempt 2: loading features");
        assertThat(logLines.get(3)).endsWith(job + "-b | epoch 1/1 - val_mae: 11.2");
        assertThat(result.getOutput().indexOf("| epoch 1/1")).as("the log comes before the end")
                .isLessThan(result.getOutput().indexOf("] remediation r"));
        assertThat(api.requests).allMatch(r -> r.contains("follow=true") && r.contains("container=ml-training"));
    }

    @Test
    void givenARoleWithoutPodsLog_whenRemediated_thenOneLineSaysSoAndTheRemediationGoesOn(
            QuarkusMainLauncher launcher) {
        jobsRetryOnce(403);

        LaunchResult result = remediate(launcher, "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput().lines().filter(l -> l.contains("cannot be read"))).singleElement().asString()
                .containsPattern("log of pod ml-retrain-emergency-\\d+-a container ml-training cannot be read: the"
                        + " guardian may not read pod logs \\(get pods/log in neural-hive");
        assertThat(result.getOutput()).contains("ended retrained");
    }

    @Test
    void givenOutputJson_whenRemediated_thenEveryLineIsAJsonObjectWithStepsLogLinesAndTheEnd(
            QuarkusMainLauncher launcher) throws IOException {
        jobsRetryOnce();

        LaunchResult result = remediate(launcher, "--target", CRON_JOB, "--output", "json");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        List<com.fasterxml.jackson.databind.JsonNode> objects = new java.util.ArrayList<>();
        // The application's own log lines share stdout in this test; the command's lines are the JSON ones.
        for (String line : result.getOutput().lines().filter(l -> l.startsWith("{")).toList()) {
            objects.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
        }
        assertThat(objects).allMatch(o -> o.has("type") && o.get("elapsedSeconds").isNumber());
        assertThat(objects).filteredOn(o -> o.get("type").asText().equals("step"))
                .extracting(o -> o.get("from").asText() + "->" + o.get("to").asText())
                .contains("HEALTHY->FIRING", "RETRAINING->VALIDATING");
        assertThat(objects).filteredOn(o -> o.get("type").asText().equals("log"))
                .extracting(o -> o.get("pod").asText().replaceAll(".*-", "") + ": " + o.get("line").asText())
                .containsExactly("a: attempt 1: loading features", "a: ValueError: queue_depth is NaN",
                        "b: attempt 2: loading features", "b: epoch 1/1 - val_mae: 11.2");
        com.fasterxml.jackson.databind.JsonNode end = objects.getLast();
        assertThat(end.get("type").asText()).isEqualTo("end");
        assertThat(end.get("outcome").asText()).isEqualTo("retrained");
        assertThat(end.get("exitCode").asInt()).isZero();
    }

    @Test
    void givenHealthySignals_whenRemediatedWithoutForce_thenExit0AndNoJob(QuarkusMainLauncher launcher) {
        metrics.set(ScrapedModelProfile.HEALTHY);

        LaunchResult result = remediate(launcher, "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(jobs()).isEmpty();
    }

    @Test
    void givenHealthySignals_whenRemediatedWithForceAndNoWait_thenExit0WithTheJobRunning(QuarkusMainLauncher launcher) {
        metrics.set(ScrapedModelProfile.HEALTHY);

        LaunchResult result = remediate(launcher, "--target", CRON_JOB, "--force", "--no-wait");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(jobs()).singleElement().satisfies(j -> assertThat(j.getStatus()).isNull());
    }

    @Test
    void givenHealthySignalsAndAGoodCandidate_whenRemediatedWithForce_thenVerifiedOnTheLiveSignalsAndExit0(
            QuarkusMainLauncher launcher) {
        metrics.set(ScrapedModelProfile.HEALTHY);
        trainingRegisters(10.5);

        LaunchResult result = launcher.launch("remediate", "--config", withRegistry.toString(), "--target", CRON_JOB,
                "--force");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput())
                .contains(CRON_JOB + " HEALTHY -> FIRING  remediation requested by hand")
                .contains("PROMOTING -> VERIFYING  promoted " + MODEL + " v2 -> stage Production")
                .containsPattern(CRON_JOB + " VERIFYING  verifying until \\S+, [12]s left")
                .containsPattern("remediation r\\d+ ended promoted: verified: every signal within bounds for 2s");
        assertThat(mlflow.model(MODEL).stageOf("2")).isEqualTo("Production");
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void givenASignalThatBreachesAfterThePromotion_whenRemediatedWithForce_thenRolledBackAndExit1(
            QuarkusMainLauncher launcher) {
        metrics.set(ScrapedModelProfile.HEALTHY);
        trainingRegisters(10.5);
        breachesAfterTheRestart();

        LaunchResult result = launcher.launch("remediate", "--config", withRegistry.toString(), "--target", CRON_JOB,
                "--force");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput()).contains("VERIFYING -> ROLLING_BACK  new breach while verifying: "
                + MODEL + "/mae-ratio 1.72 (> 1.5)").contains("ended rolled_back");
        assertThat(mlflow.model(MODEL).stageOf("1")).isEqualTo("Production");
    }

    @Test
    void givenARemediationJustEnded_whenRemediatedAgain_thenExit4HeldByTheCooldown(QuarkusMainLauncher launcher) {
        jobsEndWith("Complete", null);
        assertThat(remediate(launcher, "--target", CRON_JOB).exitCode()).isZero();

        LaunchResult again = remediate(launcher, "--target", CRON_JOB, "--force");

        assertThat(again.exitCode()).as(again.getOutput() + again.getErrorOutput()).isEqualTo(4);
        assertThat(again.getOutput()).contains("cooldown");
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void givenAFiringTargetWhoseSignalsTurnInconclusive_whenRemediated_thenEachSignalIsListedWithWhyAndExit4(
            QuarkusMainLauncher launcher) {
        jobsEndWith("Complete", null);
        assertThat(remediate(launcher, "--target", CRON_JOB).exitCode()).isZero();
        // Breaching again inside the cooldown: the target stays FIRING, held.
        assertThat(remediate(launcher, "--target", CRON_JOB, "--no-wait").exitCode()).isEqualTo(4);
        metrics.set("# the model server stopped exporting the drift score\n");

        LaunchResult inconclusive = remediate(launcher, "--target", CRON_JOB, "--no-wait");

        assertThat(inconclusive.exitCode()).as(inconclusive.getOutput() + inconclusive.getErrorOutput()).isEqualTo(4);
        assertThat(inconclusive.getOutput())
                .contains("FIRING  signals inconclusive: no move either way")
                .contains("  ticket-duration-predictor/mae-ratio INCONCLUSIVE (> 1.5)");
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void givenDryRun_whenRemediated_thenExit0WithTheJobItWouldCreateAndNoJob(QuarkusMainLauncher launcher)
            throws IOException {
        Path dry = Files.writeString(dir.resolve("dry.yaml"), Files.readString(config)
                .replace("guardian:\n", "guardian:\n  dry-run: true\n"));

        LaunchResult result = launcher.launch("remediate", "--config", dry.toString(), "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput()).containsPattern("ended dry_run: dry run: would create Job ml-retrain-emergency-\\d+");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void givenASlowSlackWebhook_whenRemediatedWithNoWait_thenItsNotificationsAreDeliveredBeforeTheProcessEnds(
            QuarkusMainLauncher launcher) throws IOException {
        WireMockServer slack = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .dynamicPort());
        slack.start();
        try {
            // Each answer takes 3 s: the command is long done before the second message could go out.
            slack.stubFor(WireMock.post(WireMock.urlPathMatching("/services/.*"))
                    .willReturn(WireMock.ok("ok").withFixedDelay(3_000)));
            Path notifying = Files.writeString(dir.resolve("slack.yaml"), Files.readString(config).replace(
                    "guardian:\n", "guardian:\n  notify:\n    slack:\n      webhook-url: http://127.0.0.1:" + slack.port()
                            + "/services/T0/B0/x\n"));

            LaunchResult result = launcher.launch("remediate", "--config", notifying.toString(), "--target",
                    CRON_JOB, "--no-wait");

            assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
            assertThat(slack.getAllServeEvents()).as("firing and retraining-started, both sent").hasSize(2);
        } finally {
            slack.stop();
        }
    }

    @Test
    void givenAnUnknownTarget_whenRemediated_thenExit3NamingTheKnownTargets(QuarkusMainLauncher launcher) {
        LaunchResult result = remediate(launcher, "--target", "orchestrator-ml-training");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("no training target 'orchestrator-ml-training'")
                .contains(CRON_JOB);
    }

    @Test
    void givenTheCronJobIsMissing_whenRemediated_thenExit3NamingTheCronJobAndNoJob(QuarkusMainLauncher launcher) {
        client.batch().v1().cronjobs().inNamespace(NAMESPACE).withName(CRON_JOB).delete();

        LaunchResult result = remediate(launcher, "--target", CRON_JOB);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(3);
        assertThat(result.getOutput() + result.getErrorOutput()).contains("CronJob neural-hive/" + CRON_JOB + " not found");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void givenHelp_whenAsked_thenEveryExitCodeIsDocumented(QuarkusMainLauncher launcher) {
        LaunchResult result = remediate(launcher, "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Exit codes:").containsPattern("0\\s+retrained")
                .containsPattern("2\\s+training failed").containsPattern("4\\s+not started");
    }
}
