package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.testing.AccessReviews;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.MlflowStandIn;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;

/**
 * {@code doctor} against the fabric8 mock server in CRUD mode (which answers SelfSubjectAccessReviews as the test
 * says; it enforces no RBAC) holding Neural Hive's CronJob, flag ConfigMap and Deployment, and a real Prometheus
 * serving Neural Hive's metrics. The bundled defaults are the configuration, as in production.
 */
@QuarkusMainTest
class DoctorCommandTest {

    static KubernetesMockServer server;
    static AccessReviews reviews = new AccessReviews();
    static PrometheusServer prometheus;
    static MlflowStandIn mlflow;

    @TempDir
    Path dir;

    KubernetesClient client;

    @BeforeAll
    static void start() {
        server = MainTestCluster.start(reviews);
        prometheus = PrometheusServer.shared();
        prometheus.endpoint().set(CheckCommandTest.METRICS);
        prometheus.awaitSamples("orchestration_ml_model_accuracy{model_name=\"anomaly-predictor\"}", 1);
        mlflow = MlflowStandIn.startNew();
    }

    @AfterAll
    static void stop() {
        MainTestCluster.stop(server);
        mlflow.stop();
    }

    @BeforeEach
    void setUp() {
        client = server.createClient();
        client.apps().deployments().inNamespace(NAMESPACE).delete();
        NeuralHive.reset(client);
        NeuralHive.installModelServer(client);
        reviews.denied.clear();
        mlflow.reset();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private LaunchResult doctor(QuarkusMainLauncher launcher, String extraYaml, String... args) throws IOException {
        Path config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  prometheus:
                    url: %s
                %s""".formatted(NAMESPACE, prometheus.url(), extraYaml.indent(2)));
        String[] all = new String[args.length + 3];
        all[0] = "doctor";
        all[1] = "--config";
        all[2] = config.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return launcher.launch(all);
    }

    @Test
    void givenEverythingInPlace_whenDoctorRuns_thenEveryCheckIsOkAndExitIs0(QuarkusMainLauncher launcher)
            throws IOException {
        LaunchResult result = doctor(launcher, "");

        String out = result.getOutput();
        assertThat(result.exitCode()).as(out + result.getErrorOutput()).isEqualTo(0);
        assertThat(out)
                .containsPattern("OK\\s+config\\s+valid: 2 models, 5 signals, 1 training targets")
                .containsPattern("OK\\s+namespace\\s+neural-hive \\(from guardian.namespace\\)")
                .containsPattern("OK\\s+cronjob/" + CRON_JOB + "\\s+CronJob neural-hive/" + CRON_JOB + " exists")
                .containsPattern("OK\\s+state/model-guardian-state\\s+.*does not exist yet; the guardian creates it")
                .containsPattern("OK\\s+lease/model-guardian-leader\\s+.*does not exist yet")
                .containsPattern("OK\\s+flag/orchestrator-dynamic-config\\s+ENABLE_ML_ENHANCED_SCHEDULING=\"true\"")
                .containsPattern("OK\\s+deployment/orchestrator-dynamic\\s+Deployment neural-hive/orchestrator-dynamic exists")
                .containsPattern("OK\\s+rbac\\s+all " + NeuralHive.requiredPermissions("s", "l", List.of(CRON_JOB)).size()
                        + " permissions granted")
                .containsPattern("OK\\s+prometheus\\s+Prometheus at " + prometheus.url() + " answers")
                .containsPattern("OK\\s+signal/ticket-duration-predictor/mae-percentage\\s+value 12.5 from 1 series")
                .containsPattern("OK\\s+signal/ticket-anomaly-detector/precision\\s+value 0.82")
                .containsPattern("OK\\s+mlflow\\s+guardian.mlflow.url is not set: validation and promotion are off")
                .contains("set guardian.mlflow.url (env GUARDIAN_MLFLOW_URL) to turn them on")
                .containsPattern("OK\\s+notify/events\\s+Kubernetes Events \\(events.k8s.io/v1\\) in neural-hive:"
                        + " always on")
                .containsPattern("OK\\s+notify/slack\\s+off: guardian.notify.slack.webhook-url"
                        + " \\(GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL\\) is not set")
                .containsPattern("OK\\s+notify/pagerduty\\s+off")
                .containsPattern("OK\\s+notify/webhook\\s+off")
                .doesNotContain("WARN").doesNotContain("FAIL")
                .contains("-> ok (exit 0)");
    }

    @Test
    void givenTheRunbooksCronJobName_whenDoctorRuns_thenFailNamesTheClosestExistingCronJob(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = doctor(launcher, """
                targets:
                  orchestrator-dynamic-ml-training:
                    cron-job: orchestrator-ml-training
                    models: [ticket-duration-predictor, ticket-anomaly-detector]
                """);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+cronjob/orchestrator-ml-training\\s+CronJob neural-hive/orchestrator-ml-training"
                        + " not found; closest existing CronJob: " + CRON_JOB)
                .contains("fix: set guardian.targets.orchestrator-dynamic-ml-training.cron-job: " + CRON_JOB)
                .contains("-> problems found (exit 1)");
    }

    @Test
    void givenAConfigMapWhereATargetsStateWouldGo_whenDoctorRuns_thenFailNamesItBeforeAnIncidentDoes(
            QuarkusMainLauncher launcher) throws IOException {
        client.configMaps().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("model-guardian-state-" + CRON_JOB).endMetadata()
                .addToData("settings", "someone else's").build()).create();

        LaunchResult result = doctor(launcher, "");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+state/model-guardian-state-" + CRON_JOB + "\\s+ConfigMap neural-hive/"
                        + "model-guardian-state-" + CRON_JOB + " exists without label"
                        + " model-guardian.dev/state=model-guardian-state: target " + CRON_JOB + "'s state cannot be"
                        + " kept there")
                .contains("fix: rename or delete that ConfigMap, or set another guardian.state.config-map");
    }

    @Test
    void givenModelsConfiguredWithoutATarget_whenDoctorRuns_thenWarnThatTheModelIsWatchedButNeverRetrained(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = doctor(launcher, """
                models:
                  ticket-duration-predictor:
                    signals:
                      mae-percentage:
                        query: max(orchestration_ml_model_quality_metrics{metric_type="mae_percentage"})
                        above: 25
                """);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput())
                .containsPattern("WARN\\s+untrained\\s+model ticket-duration-predictor has signals but no training"
                        + " target trains it: it is watched, never retrained")
                .contains("fix: list the model under guardian.targets.<training CronJob>.models");
    }

    @Test
    void givenPrometheusDown_whenDoctorRuns_thenFailAndExit1(QuarkusMainLauncher launcher) throws IOException {
        Path config = Files.writeString(dir.resolve("down.yaml"), """
                guardian:
                  namespace: %s
                  prometheus:
                    url: http://127.0.0.1:%d
                    timeout: 2s
                """.formatted(NAMESPACE, PrometheusServer.closedPort()));

        LaunchResult result = launcher.launch("doctor", "--config", config.toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+prometheus\\s+Prometheus at http://127.0.0.1:\\d+ did not answer: .*no signal"
                        + " was queried")
                .contains("fix: check guardian.prometheus.url (GUARDIAN_PROMETHEUS_URL)")
                .doesNotContain("signal/");
    }

    @Test
    void givenAPermissionDenied_whenDoctorRuns_thenFailNamesTheMissingRule(QuarkusMainLauncher launcher)
            throws IOException {
        reviews.denied.add("watch jobs.batch");
        reviews.denied.add("patch leases.coordination.k8s.io/model-guardian-leader");

        LaunchResult result = doctor(launcher, "");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+rbac\\s+missing: watch jobs.batch in neural-hive \\(needed for: follow the Job")
                .contains("fix: add to Role model-guardian: apiGroups: [\"batch\"], resources: [jobs], verbs: [watch]")
                .containsPattern("FAIL\\s+rbac\\s+missing: patch leases.coordination.k8s.io/model-guardian-leader")
                .contains("resourceNames: [model-guardian-leader], verbs: [patch]")
                .contains("2 fail");
    }

    @Test
    void givenTheRoleWithoutPodsLog_whenDoctorRuns_thenFailAsksTheSubresourceAndNamesTheRule(
            QuarkusMainLauncher launcher) throws IOException {
        reviews.denied.add("get pods/log");

        LaunchResult result = doctor(launcher, "");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+rbac\\s+missing: get pods/log in neural-hive \\(needed for: the last lines"
                        + " of a failed training pod's log")
                .contains("fix: add to Role model-guardian: apiGroups: [\"\"], resources: [pods/log], verbs: [get]")
                .contains("1 fail");
    }

    @Test
    void givenTheFlagKeyMissingAndRunbookMetricNames_whenDoctorRuns_thenFailForTheKeyAndWarnWithTheRealName(
            QuarkusMainLauncher launcher) throws IOException {
        client.configMaps().inNamespace(NAMESPACE).withName("orchestrator-dynamic-config")
                .edit(cm -> new io.fabric8.kubernetes.api.model.ConfigMapBuilder(cm).removeFromData(
                        "ENABLE_ML_ENHANCED_SCHEDULING").build());

        LaunchResult result = doctor(launcher, """
                models:
                  ticket-duration-predictor:
                    signals:
                      mae-percentage:
                        query: max(orchestrator_ml_model_quality_metrics{model_name="ticket-duration-predictor",metric_type="mae_percentage"})
                        above: 20
                targets:
                  orchestrator-dynamic-ml-training:
                    models: [ticket-duration-predictor]
                    deployment: orchestrator-dynamic
                    rollback:
                      config-map: orchestrator-dynamic-config
                      keys:
                        ENABLE_ML_ENHANCED_SCHEDULING: {value: "false"}
                """);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+flag/orchestrator-dynamic-config\\s+ConfigMap neural-hive/orchestrator-dynamic-config"
                        + " has no key ENABLE_ML_ENHANCED_SCHEDULING \\(keys: ENABLE_INTELLIGENT_SCHEDULER,")
                .contains("config.scheduler.enableMlEnhancedScheduling")
                .containsPattern("WARN\\s+signal/ticket-duration-predictor/mae-percentage\\s+no data now")
                .contains("fix: the runbook's orchestrator_ml_* names are emitted by no code; the deployed app emits"
                        + " orchestration_ml_*, and this query has data: max(orchestration_ml_model_quality_metrics");
    }

    @Test
    void givenJsonOutputAndAnInvalidConfiguration_whenDoctorRuns_thenEveryProblemIsAFailInTheReport(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = doctor(launcher, """
                interval: -5s
                """, "--output", "json");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        // The mock server in this JVM logs to the same captured output: the report starts at its first line.
        String out = result.getOutput();
        JsonNode report = new ObjectMapper().readTree(out.substring(out.indexOf("{\n")));
        assertThat(report.path("schema").asText()).isEqualTo("model-guardian/doctor/v1");
        assertThat(report.path("exitCode").asInt()).isEqualTo(1);
        assertThat(report.path("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(report.path("checks")).anySatisfy(c -> {
            assertThat(c.path("check").asText()).isEqualTo("config");
            assertThat(c.path("status").asText()).isEqualTo("FAIL");
            assertThat(c.path("detail").asText()).startsWith("guardian.interval: ");
        });
        // The cluster is still checked.
        assertThat(report.path("checks")).anySatisfy(c -> assertThat(c.path("check").asText())
                .isEqualTo("cronjob/" + CRON_JOB));
    }

    // ---- MLflow -------------------------------------------------------------------------------------------------

    private String mlflowYaml(String url, String... more) {
        return "mlflow:\n  url: " + url + "\n  retries: 0\n  timeout: 2s\n"
                + String.join("", List.of(more).stream().map(l -> "  " + l + "\n").toList());
    }

    /** Both bundled models registered with a READY version in Production, from runs of their experiment. */
    private void registryAllGood() {
        mlflow.model("ticket-duration-predictor").productionVersion("3", Map.of("mae_percentage", 12.0));
        mlflow.model("ticket-anomaly-detector").productionVersion("2", Map.of("precision", 0.81));
    }

    @Test
    void givenEveryModelServingAReadyProductionVersion_whenDoctorRuns_thenOkPerModelAndExit0(
            QuarkusMainLauncher launcher) throws IOException {
        registryAllGood();

        LaunchResult result = doctor(launcher, mlflowYaml(mlflow.url()));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput())
                .containsPattern("OK\\s+mlflow/ticket-duration-predictor\\s+registered model ticket-duration-predictor:"
                        + " version 3 in stage Production, READY; experiment orchestrator-predictive-models exists")
                .containsPattern("OK\\s+mlflow/ticket-anomaly-detector\\s+registered model ticket-anomaly-detector:"
                        + " version 2 in stage Production, READY")
                .doesNotContain("FAIL");
    }

    @Test
    void givenARegisteredModelNameThatDoesNotExist_whenDoctorRuns_thenFailNamesTheClosestRegisteredModel(
            QuarkusMainLauncher launcher) throws IOException {
        mlflow.model("ticket_duration_predictor").productionVersion("3", Map.of("mae_percentage", 12.0));
        mlflow.model("ticket-anomaly-detector").productionVersion("2", Map.of("precision", 0.81));

        LaunchResult result = doctor(launcher, mlflowYaml(mlflow.url()));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+mlflow/ticket-duration-predictor\\s+registered model ticket-duration-predictor"
                        + " not found in MLflow at " + mlflow.url() + "; closest registered model: ticket_duration_predictor")
                .contains("fix: set guardian.models.ticket-duration-predictor.registry.name: ticket_duration_predictor"
                        + " (if that is the model), or register ticket-duration-predictor")
                .containsPattern("OK\\s+mlflow/ticket-anomaly-detector\\s+");
        assertThat(mlflow.requests("GET", "registered-models/search")).hasSize(1);
    }

    @Test
    void givenNoVersionInProduction_whenDoctorRuns_thenFailSaysHowToPromoteOne(QuarkusMainLauncher launcher)
            throws IOException {
        registryAllGood();
        mlflow.model("ticket-duration-predictor").stage("3", "Staging");

        LaunchResult result = doctor(launcher, mlflowYaml(mlflow.url()));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+mlflow/ticket-duration-predictor\\s+registered model ticket-duration-predictor"
                        + " has no version in stage Production: no remediation of it can start")
                .contains("fix: move the version the model server loads now to stage Production (MLflow UI, or POST"
                        + " /api/2.0/mlflow/model-versions/transition-stage)")
                .containsPattern("OK\\s+mlflow/ticket-anomaly-detector\\s+");
    }

    @Test
    void givenTheProductionVersionStillRegistering_whenDoctorRuns_thenFailSaysItIsNotReady(
            QuarkusMainLauncher launcher) throws IOException {
        registryAllGood();
        mlflow.model("ticket-anomaly-detector").status("2", "PENDING_REGISTRATION");

        LaunchResult result = doctor(launcher, mlflowYaml(mlflow.url()));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+mlflow/ticket-anomaly-detector\\s+registered model ticket-anomaly-detector:"
                        + " version 2 in stage Production is PENDING_REGISTRATION, not READY")
                .contains("fix: wait for MLflow to finish registering it");
    }

    @Test
    void givenMlflowDown_whenDoctorRuns_thenOneFailForMlflowAndNoModelChecked(QuarkusMainLauncher launcher)
            throws IOException {
        String down = "http://127.0.0.1:" + PrometheusServer.closedPort();

        LaunchResult result = doctor(launcher, mlflowYaml(down));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .containsPattern("FAIL\\s+mlflow\\s+MLflow at " + down + " did not answer: MLflow GET"
                        + " registered-models/get failed: cannot connect to MLflow .*; 2 models not checked")
                .contains("fix: check guardian.mlflow.url (GUARDIAN_MLFLOW_URL), that MLflow runs")
                .doesNotContain("mlflow/ticket");
    }

    @Test
    void givenMlflowRefusingTheToken_whenDoctorRuns_thenFailSaysSoWithoutTheToken(QuarkusMainLauncher launcher)
            throws IOException {
        String token = "mlflowTok3n-d0-not-print";
        mlflow.failWith(401);

        LaunchResult result = doctor(launcher, mlflowYaml(mlflow.url(), "token: " + token), "--output", "json");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getOutput())
                .contains("MLflow at " + mlflow.url() + " refused the guardian (HTTP 401, with the configured"
                        + " credentials); 2 models not checked")
                .contains("check the token in Secret model-guardian-secrets, key mlflow-token");
        assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain(token).doesNotContain("d0-not-print");
        // It was sent, all the same.
        assertThat(mlflow.requests()).first().satisfies(c -> assertThat(c.header("Authorization"))
                .isEqualTo("Bearer " + token));
    }

    // ---- notifications ------------------------------------------------------------------------------------------

    @Test
    void givenEveryChannelOnWithItsSecrets_whenDoctorRunsInBothFormats_thenChannelsAreOnAndNoSecretIsPrinted(
            QuarkusMainLauncher launcher) throws IOException {
        String yaml = """
                notify:
                  slack:
                    webhook-url: %s
                  pagerduty:
                    routing-key: %s
                  webhook:
                    url: %s
                    hmac-key: %s
                """.formatted(DoctorNotifyTest.SLACK, DoctorNotifyTest.ROUTING_KEY, DoctorNotifyTest.WEBHOOK,
                DoctorNotifyTest.HMAC);

        LaunchResult table = doctor(launcher, yaml);
        LaunchResult json = doctor(launcher, yaml, "--output", "json");

        assertThat(table.exitCode()).as(table.getOutput() + table.getErrorOutput()).isEqualTo(0);
        assertThat(table.getOutput())
                .containsPattern("OK\\s+notify/slack\\s+on: webhook URL set \\(a secret, not shown\\)")
                .containsPattern("OK\\s+notify/pagerduty\\s+on: routing key set \\(a secret, not shown\\), endpoint"
                        + " events.pagerduty.com")
                .containsPattern("OK\\s+notify/webhook\\s+on: URL set \\(a secret, not shown\\), signed");
        assertThat(json.getOutput()).contains("\"check\" : \"notify/slack\"");
        // Everything either launch wrote, logs included.
        String everything = table.getOutput() + table.getErrorOutput() + json.getOutput() + json.getErrorOutput();
        DoctorNotifyTest.SECRETS.forEach(secret -> assertThat(everything).doesNotContain(secret));
    }

    @Test
    void givenSlackRoutingWrittenButNoWebhookUrl_whenDoctorRuns_thenWarnThatNothingGoesToSlack(
            QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = doctor(launcher, """
                notify:
                  slack:
                    milestones: [rolled-back, failed]
                """);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
        assertThat(result.getOutput())
                .containsPattern("WARN\\s+notify/slack\\s+off \\(guardian.notify.slack.webhook-url is not set\\), but"
                        + " guardian.notify.slack.milestones is configured for it: nothing goes to Slack")
                .contains("fix: set GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL from Secret model-guardian-secrets, key"
                        + " slack-webhook-url, or remove guardian.notify.slack.milestones")
                .containsPattern("OK\\s+notify/pagerduty\\s+off");
    }
}
