package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.integrations.kubernetes.CapturedLog;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.notify.Notifier;
import dev.modelguardian.testing.MlflowStandIn;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * What people read is text, never Java's rendering of a value: every log line of the guardian, every Event and every
 * Slack, PagerDuty and webhook message of a promotion, a forced remediation rolled back at validation and a rollback
 * by hand, as the application wires them (real listeners, the MLflow stand-in, the CRUD mock API server). None may
 * show {@code Optional[...]}, {@code Optional.empty}, {@code null}, an identity hash or a record's {@code toString()}.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MlflowStandIn.class, restrictToAnnotatedClass = true)
@TestProfile(MessagesReadAsTextTest.Profile.class)
class MessagesReadAsTextTest {

    /** {@link RegistryProfile} with Slack, PagerDuty and the webhook sending to one local sink. */
    public static class Profile extends RegistryProfile {
        static final WireMockServer SINK = sink();

        private static WireMockServer sink() {
            WireMockServer sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                    .dynamicPort());
            sink.start();
            sink.stubFor(WireMock.post(WireMock.anyUrl()).willReturn(WireMock.aResponse().withStatus(202)
                    .withBody("ok")));
            return sink;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("guardian.mlflow.retries", "1");
            config.put("guardian.mlflow.retry-backoff", "10ms");
            config.put("guardian.notify.slack.webhook-url", SINK.baseUrl() + "/services/T0/B0/x");
            config.put("guardian.notify.webhook.url", SINK.baseUrl() + "/webhook");
            config.put("guardian.notify.pagerduty.routing-key", "0123456789abcdef0123456789ABCDEF");
            config.put("guardian.notify.pagerduty.url", SINK.baseUrl() + "/v2/enqueue");
            config.put("guardian.notify.initial-backoff", "20ms");
            return config;
        }
    }

    /** How Java renders a value it was not told how to show. */
    static final Pattern RAW = Pattern.compile(
            "Optional(Double|Int|Long)?\\[|Optional(Double|Int|Long)?\\.empty|\\bnull\\b|@[0-9a-f]{6,}\\b"
                    + "|\\b[A-Z][A-Za-z]+\\[[a-z][A-Za-z]*=");
    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final String MODEL = "ticket-duration-predictor";

    @MlflowStandIn.InjectMlflow
    MlflowStandIn mlflow;

    @Inject
    RemediationEngine engine;

    @Inject
    Notifier notifier;

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @AfterEach
    void tearDown() {
        clock.reset();
    }

    /** The training registers {@code version} with {@code mae} ten minutes in, the Job completes, +20m. */
    private void trainingRegisters(String version, double mae) {
        mlflow.model(MODEL).version(version, clock.instant().plus(Duration.ofMinutes(10)), Map.of("mae_percentage",
                mae));
        String job = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(j -> j.getStatus() == null).findFirst().orElseThrow().getMetadata().getName();
        NeuralHive.finish(client, job, "Complete", null);
        clock.advance(Duration.ofMinutes(20));
    }

    @Test
    void givenAPromotionAForcedRollbackAndARollbackByHand_whenRun_thenNoLogEventOrNotificationShowsARawValue()
            throws Exception {
        NeuralHive.reset(client);
        clock.set(T0);
        mlflow.reset();
        MlflowStandIn.Model model = mlflow.model(MODEL);
        model.version("7", T0.minus(Duration.ofDays(1)), Map.of("mae_percentage", 13.7)).stage("7", "Production");
        TargetSpec target = engine.targets().getFirst();
        List<String> logged;
        try (CapturedLog log = CapturedLog.of("dev.modelguardian")) {
            ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
            engine.runCycle();
            trainingRegisters("8", 12.0);
            engine.followUp();
            ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY);
            clock.advance(Duration.ofMinutes(5));
            engine.runCycle();
            assertThat(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load().targets()
                    .get(target.name()).last().orElseThrow().outcome())
                    .isEqualTo(HistoryEntry.Outcome.PROMOTED);

            clock.advance(Duration.ofHours(2));
            engine.request(target, true, "remediate --force");
            trainingRegisters("9", 17.5);
            engine.followUp();
            engine.rollback(target);
            assertThat(NeuralHive.flag(client)).isEqualTo("false");
            assertThat(notifier.awaitDelivered(Duration.ofSeconds(10))).isZero();
            logged = log.all();
        }

        List<String> events = new ArrayList<>();
        for (Event e : client.events().v1().events().inNamespace(NAMESPACE).list().getItems()) {
            events.add(e.getReason() + ": " + e.getNote());
        }
        List<String> sent = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        Profile.SINK.getAllServeEvents().forEach(call -> texts(parse(json, call.getRequest().getBodyAsString()),
                sent));

        assertThat(logged).as("the log of the whole run").isNotEmpty()
                .allSatisfy(line -> assertThat(line).doesNotContainPattern(RAW))
                .anySatisfy(line -> assertThat(line).contains("ConfigMap " + NAMESPACE + "/"
                        + NeuralHive.FLAG_CONFIG_MAP + ": set " + NeuralHive.FLAG + "=false (previous "
                        + NeuralHive.FLAG + "=true)"));
        assertThat(events).as("the Events").hasSizeGreaterThan(10)
                .allSatisfy(line -> assertThat(line).doesNotContainPattern(RAW));
        assertThat(sent).as("every text of every notification").hasSizeGreaterThan(50)
                .anySatisfy(text -> assertThat(text).contains("requested by hand (remediate --force)"))
                .allSatisfy(text -> assertThat(text).doesNotContainPattern(RAW));
    }

    private static JsonNode parse(ObjectMapper json, String body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("a notification that is not JSON: " + body, e);
        }
    }

    /** Every string value in {@code node}, at any depth. */
    private static void texts(JsonNode node, List<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        }
        node.forEach(child -> texts(child, into));
    }
}
