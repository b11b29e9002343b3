package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.Monitoring;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * The Grafana dashboard and the alert rules (monitoring/) against what they are for: a real Prometheus scraping a
 * real {@code serve} (the packaged artifact as its own process, as in {@link ServeIT}) through one whole
 * remediation: a breach, the training Job, its completion, the webhook notification. Every query of the dashboard
 * (panels, the annotation, the variables) must be valid and return data over that window, and every alert rule's
 * expression must be valid PromQL, so a renamed metric or a typo in a query fails here, not in someone's Grafana.
 */
class DashboardIT {

    /** Grafana's variables as the dashboard's defaults resolve them ("All" is {@code .*}). */
    static final Map<String, String> VARIABLES = Map.of("$__rate_interval", "1m", "$__range", "1h", "$job", ".*",
            "$target", ".*", "$model", ".*");
    static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+), (\\w+)\\)");

    @TempDir
    Path dir;

    KubernetesMockServer server;
    KubernetesClient client;
    MetricsEndpoint model;
    HttpServer webhook;
    AtomicInteger notified = new AtomicInteger();
    Process serve;
    PrometheusServer prometheus;
    Path log;

    @BeforeEach
    void setUp() throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        NeuralHive.install(client);
        model = new MetricsEndpoint();
        model.set(ScrapedModelProfile.BREACH);
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/hooks/guardian", exchange -> {
            exchange.getRequestBody().readAllBytes();
            notified.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (prometheus != null) {
            prometheus.close();
        }
        webhook.stop(0);
        client.close();
        server.destroy();
        model.close();
    }

    @Test
    void givenServeThroughARemediation_whenEveryDashboardQueryRunsOnARealPrometheus_thenEachIsValidAndHasData()
            throws Exception {
        int port = freePort();
        Instant start = Instant.now();
        startServe(port);
        prometheus = PrometheusServer.scraping("model-guardian", "127.0.0.1:" + port, "/q/metrics");

        await("serve creates the training Job").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .failFast("serve exited early; its output is in " + log, () -> !serve.isAlive())
                .until(() -> !jobs().isEmpty());
        await("Prometheus sees the target retraining, with the training's deadline").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> prometheus.queryValue("guardian_target_state{state=\"retraining\"} == 1") == 1.0
                        && !Double.isNaN(prometheus.queryValue("guardian_target_deadline_timestamp_seconds")));
        NeuralHive.finish(client, jobs().getFirst().getMetadata().getName(), "Complete", null);
        await("Prometheus sees the remediation end retrained and its notification sent")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .failFast("serve exited early; its output is in " + log, () -> !serve.isAlive())
                .until(() -> prometheus.queryValue("guardian_remediations_total{outcome=\"retrained\"}") == 1.0
                        && prometheus.queryValue("sum(guardian_notifications_total{outcome=\"sent\"})") >= 1.0);
        assertThat(notified.get()).isPositive();
        // rate() needs two samples that differ in its window: a few more cycles, scraped.
        await("three more cycles scraped").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> prometheus.queryValue("increase(guardian_cycle_seconds_count[1m])") >= 3);
        // Then the model server breaks: its scrapes are external call errors, and once they pass
        // guardian.source-error-limit (3) the source-error alert's own expression selects the signal, on what serve
        // really exposes (not on the dashboard's zero fallbacks).
        model.failWith(503);
        String sourceErrors = (String) Monitoring.rules(Monitoring.yaml(Monitoring.RULES)).stream()
                .filter(r -> r.get("alert").equals("ModelGuardianSourceErrors")).findFirst().orElseThrow()
                .get("expr");
        await("the source-error alert's expression selects the failing signal").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .failFast("serve exited early; its output is in " + log, () -> !serve.isAlive())
                .until(() -> prometheus.queryValue(sourceErrors) >= 3);
        assertThat(prometheus.queryValue("sum(rate(guardian_external_call_seconds_count{system=\"scrape\","
                + "outcome=\"error\"}[1m]))")).as("scrape errors counted").isPositive();

        JsonNode dashboard = Monitoring.dashboard();
        List<String> failures = new ArrayList<>();
        Instant end = Instant.now().plusSeconds(1);
        for (JsonNode query : dashboardQueries(dashboard)) {
            String expr = resolve(query.asText());
            JsonNode answer = prometheus.queryRange(expr, start, end, Duration.ofSeconds(1));
            if (!answer.path("status").asText().equals("success")) {
                failures.add(expr + " -> " + answer.path("errorType").asText() + ": " + answer.path("error").asText());
            } else if (!hasANumber(answer.path("data").path("result"))) {
                failures.add(expr + " -> no data");
            }
        }
        for (Map<String, Object> rule : Monitoring.rules(Monitoring.yaml(Monitoring.RULES))) {
            String expr = (String) rule.get("expr");
            JsonNode answer = prometheus.queryRange(expr, start, end, Duration.ofSeconds(1));
            if (!answer.path("status").asText().equals("success")) {
                failures.add(rule.get("alert") + ": " + expr + " -> " + answer.path("error").asText());
            }
        }
        assertThat(failures).as("dashboard and rule queries on a real Prometheus scraping serve (%s)", log)
                .isEmpty();
        // The served metrics behind the panels carry what happened: one Job's worth of deadline, one end.
        assertThat(prometheus.queryValue("sum(increase(guardian_remediation_duration_seconds_count"
                + "{outcome=\"retrained\"}[5m]))")).isGreaterThan(0.5);
    }

    /** Every PromQL expression of the dashboard; a variable's label_values(selector, label) as its selector. */
    static List<JsonNode> dashboardQueries(JsonNode dashboard) {
        List<JsonNode> exprs = new ArrayList<>();
        Monitoring.queries(dashboard).forEach(q -> exprs.add(q.path("expr")));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
            if (m.matches()) {
                exprs.add(new com.fasterxml.jackson.databind.node.TextNode("group by (" + m.group(2) + ") ("
                        + m.group(1) + ")"));
            }
        }
        assertThat(exprs).hasSizeGreaterThan(15);
        return exprs;
    }

    static String resolve(String expr) {
        String resolved = expr;
        for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
            resolved = resolved.replace(v.getKey(), v.getValue());
        }
        assertThat(resolved).as("every variable resolved").doesNotContain("$");
        return resolved;
    }

    /** Whether some series of a range result has a sample that is a number (not NaN). */
    static boolean hasANumber(JsonNode result) {
        for (JsonNode series : result) {
            for (JsonNode sample : series.path("values")) {
                if (!Double.isNaN(Double.parseDouble(sample.get(1).asText()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void startServe(int port) throws IOException {
        Path config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  interval: 1s
                  remediation:
                    relist-interval: 1s
                  scrape:
                    url: %s
                """.formatted(NAMESPACE, model.url()) + ScrapedModelProfile.MAE_RATIO_MODELS);
        List<String> command = ServeIT.artifact(List.of("-Dkubernetes.master="
                + client.getConfiguration().getMasterUrl(), "-Dkubernetes.trust.certificates=true",
                "-Dkubernetes.auth.tryKubeConfig=false", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"));
        command.addAll(List.of("serve", "--config", config.toString()));
        log = Path.of("target/dashboard-it.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("POD_NAME", "guardian-dashboard-it");
        builder.environment().put("GUARDIAN_NOTIFY_WEBHOOK_URL", "http://127.0.0.1:" + webhook.getAddress().getPort()
                + "/hooks/guardian");
        builder.environment().remove("KUBECONFIG");
        serve = builder.start();
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
