package dev.modelguardian.integrations.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.modelguardian.integrations.notify.NotifyTesting.AWAIT;
import static dev.modelguardian.integrations.notify.NotifyTesting.HINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.integrations.http.Json;
import dev.modelguardian.testing.MutableClock;

/** Slack incoming webhook against WireMock: the messages of every milestone, and how delivery copes with Slack. */
class SlackNotifierTest {

    static final String PATH = "/services/T000/B000/xyz";

    WireMockServer slack;
    Notifier notifier;
    SimpleMeterRegistry registry = NotifyTesting.registry();
    MutableClock clock = NotifyTesting.clock();

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort());
        slack.start();
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        slack.stop();
    }

    private Notifier notifier(String extra) {
        notifier = NotifyTesting.notifier("slack:\n  webhook-url: " + slack.baseUrl() + PATH + "\n" + extra, registry,
                clock);
        return notifier;
    }

    /** The bodies Slack received, oldest first. */
    private List<JsonNode> received(int count) {
        await().atMost(AWAIT).until(() -> slack.getAllServeEvents().size() >= count);
        return slack.getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(e -> read(e.getRequest().getBodyAsString())).toList();
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String headerOf(JsonNode message) {
        return message.get("blocks").get(0).get("text").get("text").asText();
    }

    @Test
    void givenAFailedTraining_whenNotified_thenOneSlackMessagePerMilestoneWithBlocksTextNumbersAndTheHelmKey() {
        slack.stubFor(post(PATH).willReturn(ok("ok")));
        Notifier notifier = notifier("");

        NotifyTesting.tell(notifier, new Story().failedTraining());

        List<JsonNode> messages = received(4);
        await().atMost(AWAIT).until(notifier::idle);
        assertThat(slack.getAllServeEvents()).hasSize(4);
        assertThat(messages).extracting(SlackNotifierTest::headerOf).containsExactly(
                ":warning: orchestrator-dynamic-ml-training: a policy fires",
                ":hammer_and_wrench: orchestrator-dynamic-ml-training: retraining started",
                ":rotating_light: orchestrator-dynamic-ml-training: training failed",
                ":rotating_light: orchestrator-dynamic-ml-training: rolled back");
        String job = Story.job(Story.T0);
        for (JsonNode message : messages) {
            assertThat(message.get("text").asText()).contains("orchestrator-dynamic-ml-training")
                    .contains("ticket-duration-predictor, ticket-anomaly-detector")
                    .contains("ticket-duration-predictor/mae-ratio 1.72 (&gt; 1.5 (clear &lt;= 1.3))")
                    .contains("ticket-duration-predictor/feature-psi 0.31 (&gt; 0.25)");
            assertThat(message.get("blocks").toString()).contains("`1.72`").contains("(&gt; 1.5 (clear &lt;= 1.3))");
        }
        assertThat(messages.get(1).get("text").asText()).contains("Job: " + job)
                .contains("Action: created Job " + job + " from CronJob orchestrator-dynamic-ml-training");
        assertThat(messages.get(2).get("text").asText()).contains("failed: BackoffLimitExceeded")
                .contains("Action: rolling back");
        JsonNode rolledBack = messages.get(3);
        assertThat(rolledBack.get("text").asText()).contains("Make the rollback permanent: set " + HINT);
        assertThat(rolledBack.get("blocks").toString()).contains("`" + HINT + "`").contains("*Took*\\n12m")
                .contains("`" + job + "`").contains(Story.remediationId(Story.T0));
        assertThat(messages.subList(0, 3)).allSatisfy(m -> assertThat(m.toString()).doesNotContain(HINT));
        assertThat(NotifyTesting.count(registry, "slack", "sent")).isEqualTo(4);
    }

    @Test
    void givenAPromotion_whenNotified_thenValidationPromotionAndRecoveryMessages() {
        slack.stubFor(post(PATH).willReturn(ok("ok")));
        Notifier notifier = notifier("");

        NotifyTesting.tell(notifier, new Story().promoted());

        List<JsonNode> messages = received(5);
        await().atMost(AWAIT).until(notifier::idle);
        assertThat(messages).extracting(SlackNotifierTest::headerOf).containsExactly(
                ":warning: orchestrator-dynamic-ml-training: a policy fires",
                ":hammer_and_wrench: orchestrator-dynamic-ml-training: retraining started",
                ":white_check_mark: orchestrator-dynamic-ml-training: validation passed",
                ":white_check_mark: orchestrator-dynamic-ml-training: promoted",
                ":white_check_mark: orchestrator-dynamic-ml-training: recovered");
        assertThat(messages.get(2).get("text").asText()).contains("mae 9.1 (&lt;= 12)")
                .contains("Action: promoting the validated model versions");
        assertThat(messages.get(4).get("blocks").toString()).contains("*Took*\\n50m");
    }

    @Test
    void givenMilestonesConfigured_whenNotified_thenOnlyThoseGoToSlack() {
        slack.stubFor(post(PATH).willReturn(ok("ok")));
        Notifier notifier = notifier("  milestones: [rolled-back]");

        NotifyTesting.tell(notifier, new Story().failedTraining());

        await().atMost(AWAIT).until(() -> NotifyTesting.count(registry, "slack", "sent") == 1);
        await().atMost(AWAIT).until(notifier::idle);
        assertThat(headerOf(received(1).getFirst())).endsWith("rolled back");
        assertThat(slack.getAllServeEvents()).hasSize(1);
    }

    @Test
    void givenSlackRateLimitsWithRetryAfter_whenNotified_thenRetriedOnceAfterTheAskedSecond() {
        slack.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("rate_limited"))
                .willSetStateTo("limited"));
        slack.stubFor(post(PATH).inScenario("rate").whenScenarioStateIs("limited").willReturn(ok("ok")));
        Notifier notifier = notifier("");

        notifier.stepped(new Story().firing());

        await().atMost(AWAIT).until(() -> NotifyTesting.count(registry, "slack", "sent") == 1);
        List<ServeEvent> events = slack.getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
        assertThat(events).hasSize(2);
        long waited = events.get(1).getRequest().getLoggedDate().getTime()
                - events.get(0).getRequest().getLoggedDate().getTime();
        // The backoff alone (20 ms, jittered) would retry at once; Retry-After asked for a second.
        assertThat(waited).isGreaterThanOrEqualTo(950);
        assertThat(NotifyTesting.count(registry, "slack", "failed")).isZero();
    }

    @Test
    void givenSlackAnswers503Twice_whenNotified_thenThirdTrySucceeds() {
        slack.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("once"));
        slack.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("twice"));
        slack.stubFor(post(PATH).inScenario("flaky").whenScenarioStateIs("twice").willReturn(ok("ok")));
        Notifier notifier = notifier("");

        notifier.stepped(new Story().firing());

        await().atMost(AWAIT).until(() -> NotifyTesting.count(registry, "slack", "sent") == 1);
        slack.verify(3, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void givenSlackAlways503_whenNotified_thenGivesUpAfterMaxAttemptsAndCountsTheLoss() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(503)));
        NotifyTesting.config("");
        var settings = NotifyTesting.settings("max-attempts: 3\nslack:\n  webhook-url: " + slack.baseUrl() + PATH);
        notifier = new Notifier(settings.guardian().notifications(), Story.NAMESPACE,
                Extensions.channels(settings, Story.NAMESPACE), registry, clock);

        notifier.stepped(new Story().firing());

        await().atMost(AWAIT).until(() -> NotifyTesting.count(registry, "slack", "failed") == 1);
        slack.verify(3, postRequestedFor(urlEqualTo(PATH)));
        assertThat(NotifyTesting.count(registry, "slack", "sent")).isZero();
    }

    @Test
    void givenSlackAnswers400_whenNotified_thenExactlyOneRequestAndTheLossCounted() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(400).withBody("invalid_payload")));
        Notifier notifier = notifier("");

        notifier.stepped(new Story().firing());

        await().atMost(AWAIT).until(() -> NotifyTesting.count(registry, "slack", "failed") == 1);
        await().atMost(AWAIT).until(notifier::idle);
        slack.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void givenAFailedTrainingWithItsLogKept_whenNotified_thenTheFailureAndRollbackMessagesQuoteTheNewestLines() {
        slack.stubFor(post(PATH).willReturn(ok("ok")));
        Notifier notifier = notifier("");

        NotifyTesting.tell(notifier, new Story().failedTraining(Story.trainingLog(39)));

        List<JsonNode> messages = received(4);
        for (JsonNode message : List.of(messages.get(2), messages.get(3))) {
            String blocks = message.get("blocks").toString();
            assertThat(blocks).contains("*last 40 lines of pod " + Story.job(Story.T0) + "-x7k2p container"
                    + " ml-training:*\\n```").contains("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB```");
            for (JsonNode block : message.get("blocks")) {
                if (block.has("text") && block.get("text").has("text")) {
                    assertThat(block.get("text").get("text").asText().length()).as("a section's limit")
                            .isLessThanOrEqualTo(3000);
                }
            }
        }
        assertThat(messages.get(0).get("blocks").toString()).doesNotContain("CUDA");
    }

    @Test
    void givenPostmortemSummaryOn_whenRolledBack_thenTheMessageHasTheDraftsSummaryAndItsCommandOnlyThen() {
        slack.stubFor(post(PATH).willReturn(ok("ok")));
        Notifier notifier = notifier("  postmortem-summary: true\n");

        NotifyTesting.tell(notifier, new Story().failedTraining());

        List<JsonNode> messages = received(4);
        assertThat(messages.get(3).get("blocks").toString()).contains("*Post-mortem draft:* ticket-duration-predictor"
                + " mae-ratio, ticket-duration-predictor feature-psi breached").contains("Outcome: *rolled_back* after"
                        + " 12m").contains("model-guardian postmortem --target orchestrator-dynamic-ml-training"
                                + " --remediation " + Story.remediationId(Story.T0));
        assertThat(messages.subList(0, 3)).noneMatch(m -> m.toString().contains("Post-mortem draft"));
    }

    @Test
    void givenTheDefaults_whenRolledBack_thenNoPostmortemSummaryInSlack() {
        slack.stubFor(post(PATH).willReturn(ok("ok")));
        Notifier notifier = notifier("");

        NotifyTesting.tell(notifier, new Story().failedTraining());

        assertThat(received(4)).noneMatch(m -> m.toString().contains("Post-mortem draft"));
    }
}
