package dev.modelguardian.integrations.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.modelguardian.integrations.notify.NotifyTesting.AWAIT;
import static dev.modelguardian.integrations.notify.NotifyTesting.HINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Hold;
import dev.modelguardian.core.remediation.InMemoryStateStore;
import dev.modelguardian.core.remediation.Reason;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener.Step;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.integrations.http.Json;
import dev.modelguardian.testing.MutableClock;

/** PagerDuty Events API v2 against WireMock: triggers, the stable dedup key, resolves, severities. */
class PagerDutyNotifierTest {

    static final String PATH = "/v2/enqueue";
    static final String ROUTING_KEY = "0123456789abcdef0123456789ABCDEF";

    WireMockServer pagerDuty;
    SimpleMeterRegistry registry = NotifyTesting.registry();
    MutableClock clock = NotifyTesting.clock();
    Notifier notifier;

    @BeforeEach
    void start() {
        pagerDuty = new WireMockServer(options().dynamicPort());
        pagerDuty.start();
        pagerDuty.stubFor(post(PATH).willReturn(aResponse().withStatus(202)
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        pagerDuty.stop();
    }

    private String channel(String extra) {
        return "pagerduty:\n  routing-key: " + ROUTING_KEY + "\n  url: " + pagerDuty.baseUrl() + PATH + "\n" + extra;
    }

    private Notifier notifier(String extra) {
        notifier = NotifyTesting.notifier(channel(extra), registry, clock);
        return notifier;
    }

    private List<JsonNode> events(int count) {
        await().atMost(AWAIT).until(() -> pagerDuty.getAllServeEvents().size() >= count);
        return pagerDuty.getAllServeEvents().stream()
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

    static String remediationKey() {
        return "model-guardian/neural-hive/orchestrator-dynamic-ml-training/" + Story.remediationId(Story.T0);
    }

    @Test
    void givenRollback_whenNotified_thenPagerDutyTriggeredWithStableDedupKey() {
        Notifier notifier = notifier("");

        NotifyTesting.tell(notifier, new Story().failedTraining());

        List<JsonNode> events = events(2);
        await().atMost(AWAIT).until(notifier::idle);
        assertThat(pagerDuty.getAllServeEvents()).as("firing and retraining started do not page").hasSize(2);
        JsonNode failed = events.get(0);
        JsonNode rolledBack = events.get(1);
        assertThat(failed.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(failed.get("event_action").asText()).isEqualTo("trigger");
        assertThat(failed.get("dedup_key").asText()).isEqualTo(remediationKey());
        assertThat(rolledBack.get("dedup_key").asText()).as("one incident").isEqualTo(remediationKey());
        assertThat(failed.at("/payload/severity").asText()).isEqualTo("error");
        assertThat(rolledBack.at("/payload/severity").asText()).isEqualTo("critical");
        assertThat(rolledBack.at("/payload/source").asText()).isEqualTo("model-guardian/neural-hive");
        assertThat(rolledBack.at("/payload/component").asText()).isEqualTo("orchestrator-dynamic-ml-training");
        assertThat(rolledBack.at("/payload/class").asText()).isEqualTo("rolled-back");
        assertThat(failed.at("/payload/summary").asText())
                .startsWith("orchestrator-dynamic-ml-training: training failed: Job " + Story.job(Story.T0)
                        + " failed: BackoffLimitExceeded")
                .contains("ticket-duration-predictor/mae-ratio 1.72 (> 1.5 (clear <= 1.3))");
        assertThat(rolledBack.at("/payload/summary").asText()).contains("make it permanent: " + HINT);
        assertThat(rolledBack.at("/payload/custom_details/job").asText()).isEqualTo(Story.job(Story.T0));
        assertThat(rolledBack.at("/payload/custom_details/trigger/0/value").asDouble()).isEqualTo(1.72);
        assertThat(rolledBack.at("/payload/custom_details/trigger/0/bound").asText()).isEqualTo("> 1.5 (clear <= 1.3)");
        assertThat(rolledBack.at("/payload/custom_details/rollbackHint").asText()).isEqualTo(HINT);
        assertThat(NotifyTesting.count(registry, "pagerduty", "sent")).isEqualTo(2);
    }

    @Test
    void givenAFailedTrainingWithItsLogKept_whenPaged_thenCustomDetailsCarryTheLinesTheirPodAndWhetherCut() {
        Notifier notifier = notifier("");

        NotifyTesting.tell(notifier, new Story().failedTraining(Story.trainingLog(39)));

        List<JsonNode> events = events(2);
        for (JsonNode event : events) {
            JsonNode log = event.at("/payload/custom_details/trainingLog");
            assertThat(log.get("source").asText()).isEqualTo("pod " + Story.job(Story.T0) + "-x7k2p container"
                    + " ml-training");
            assertThat(log.get("lines")).hasSize(40);
            assertThat(log.get("lines").get(39).asText()).isEqualTo("RuntimeError: CUDA out of memory. Tried to"
                    + " allocate 2.00 GiB");
            assertThat(log.get("truncated").asBoolean()).isTrue();
            assertThat(log.has("unavailable")).isFalse();
        }
    }

    @Test
    void givenARestartBetweenFailureAndRollback_whenANewNotifierTellsTheRollback_thenTheSameDedupKey() {
        InMemoryStateStore persisted = new InMemoryStateStore();
        Story story = new Story();
        List<Step> steps = story.failedTraining();
        Notifier first = notifier("");
        steps.subList(0, 4).forEach(first::stepped);
        persisted.compareAndSet(Story.TARGET.name(), 0, steps.get(3).after());
        await().atMost(AWAIT).until(() -> NotifyTesting.count(registry, "pagerduty", "sent") == 1);
        first.close();

        // A new process: a new notifier, the record read back from the store, the next step decided on it.
        Notifier second = notifier("");
        TargetRecord reread = persisted.load().targets().get(Story.TARGET.name());
        Story resumed = new Story(reread);
        resumed.now = story.now;
        second.stepped(resumed.end(Reason.ROLLED_BACK, HistoryEntry.Outcome.ROLLED_BACK, "rolled back"));

        List<JsonNode> events = events(2);
        assertThat(events).extracting(e -> e.get("dedup_key").asText()).containsExactly(remediationKey(),
                remediationKey());
    }

    @Test
    void givenARolledBackTarget_whenALaterRemediationRecovers_thenTheIncidentIsResolved() {
        Notifier notifier = notifier("");
        Story story = new Story();
        NotifyTesting.tell(notifier, story.failedTraining());
        events(2);

        story.after(Duration.ofHours(7));
        NotifyTesting.tell(notifier, story.promoted());

        List<JsonNode> events = events(4);
        await().atMost(AWAIT).until(notifier::idle);
        List<JsonNode> resolves = events.stream().filter(e -> e.get("event_action").asText().equals("resolve"))
                .toList();
        assertThat(resolves).extracting(e -> e.get("dedup_key").asText()).contains(remediationKey());
        assertThat(resolves).allSatisfy(e -> {
            assertThat(e.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
            assertThat(e.has("payload")).isFalse();
        });
    }

    @Test
    void givenASeverityMapping_whenRolledBack_thenTheConfiguredSeverity() {
        Notifier notifier = notifier("  severity:\n    rolled-back: warning\n  source: neural-hive-prod");

        NotifyTesting.tell(notifier, new Story().failedTraining());

        JsonNode rolledBack = events(2).get(1);
        assertThat(rolledBack.at("/payload/severity").asText()).isEqualTo("warning");
        assertThat(rolledBack.at("/payload/source").asText()).isEqualTo("neural-hive-prod");
    }

    /** An engine without policies (every target inconclusive, as with no data at all) telling {@code listener}. */
    private RemediationEngine inconclusiveEngine(InMemoryStateStore store, Notifier listener) {
        return new RemediationEngine(new PolicyEngine(null, clock), List.of(), List.of(Story.TARGET), store,
                new FakeCluster(), new RemediationPolicy(Duration.ofHours(6), 3, false, false, Duration.ofMinutes(45),
                        Duration.ofMinutes(5), "ml-retrain-emergency"), 50, clock, listener, () -> true);
    }

    @Test
    void givenSignalsInconclusiveForAnHour_whenTheGuardianRestarts_thenTheTriggerStillComesAtTheConfiguredTime() {
        InMemoryStateStore store = new InMemoryStateStore();
        Notifier before = NotifyTesting.notifier(channel("") + "inconclusive-after: 2h\n", registry, clock);
        RemediationEngine first = inconclusiveEngine(store, before);
        java.time.Instant began = clock.instant();
        first.runCycle();
        clock.advance(Duration.ofHours(1));
        first.runCycle();
        before.close();

        // A new process: its own engine and notifier, nothing shared with the one before but the state store.
        notifier = NotifyTesting.notifier(channel("") + "inconclusive-after: 2h\n", registry, clock);
        RemediationEngine second = inconclusiveEngine(store, notifier);
        clock.advance(Duration.ofMinutes(59));
        second.runCycle();
        await().atMost(AWAIT).until(notifier::idle);
        assertThat(pagerDuty.getAllServeEvents()).as("1h59m inconclusive: nothing yet").isEmpty();

        clock.advance(Duration.ofMinutes(1));
        second.runCycle();

        JsonNode trigger = events(1).getFirst();
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.at("/payload/class").asText()).isEqualTo("inconclusive-too-long");
        assertThat(trigger.at("/payload/timestamp").asText()).isEqualTo(began.plus(Duration.ofHours(2)).toString());
        assertThat(trigger.at("/payload/summary").asText()).contains("since " + began).contains("for 2h (limit 2h)");
        assertThat(store.load().target(Story.TARGET.name(), clock.instant()).inconclusiveSince()).contains(began);
    }

    @Test
    void givenSignalsInconclusiveLongerThanTheLimit_whenCyclesRun_thenOneTriggerAndAResolveOnceHealthy() {
        notifier = NotifyTesting.notifier(channel("") + "inconclusive-after: 2h\n", registry, clock);
        // An engine without policies: every target is inconclusive, as with no data at all.
        InMemoryStateStore store = new InMemoryStateStore();
        RemediationEngine engine = new RemediationEngine(new PolicyEngine(null, clock), List.of(),
                List.of(Story.TARGET), store, new FakeCluster(), new RemediationPolicy(Duration.ofHours(6), 3, false,
                        false, Duration.ofMinutes(45), Duration.ofMinutes(5), "ml-retrain-emergency"), 50, clock,
                notifier, () -> true);

        engine.runCycle();
        clock.advance(Duration.ofHours(1));
        engine.runCycle();
        clock.advance(Duration.ofHours(1).plusMinutes(1));
        engine.runCycle();
        engine.runCycle();

        JsonNode trigger = events(1).getFirst();
        await().atMost(AWAIT).until(notifier::idle);
        assertThat(pagerDuty.getAllServeEvents()).as("one trigger, not one per cycle").hasSize(1);
        String key = "model-guardian/neural-hive/orchestrator-dynamic-ml-training/inconclusive";
        assertThat(trigger.get("dedup_key").asText()).isEqualTo(key);
        assertThat(trigger.at("/payload/class").asText()).isEqualTo("inconclusive-too-long");
        assertThat(trigger.at("/payload/severity").asText()).isEqualTo("warning");
        assertThat(trigger.at("/payload/summary").asText()).contains("for 2h1m (limit 2h)");

        TargetRecord record = store.load().target(Story.TARGET.name(), clock.instant());
        notifier.stayed(Story.TARGET, record, new Decision.Stay(Hold.HEALTHY, "healthy"));

        JsonNode resolve = events(2).get(1);
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText()).isEqualTo(key);
    }

    @Test
    void givenARollbackStepFailingOnEveryFollowUp_whenTold_thenOneCriticalPageInTheRemediationsIncident() {
        Notifier notifier = notifier("");
        Story story = new Story();
        story.firing();
        story.startRetraining();
        story.jobCreated();
        TargetRecord validating = story.moveTo(Reason.JOB_SUCCEEDED, "Job complete").after();
        // A failure outside a rollback is not paged here (the remediation's own milestones say what happens).
        notifier.actionFailed(Story.TARGET, validating, "read the registry", "MLflow did not answer");
        TargetRecord rollingBack = story.moveTo(Reason.VALIDATION_IMPOSSIBLE, "validation impossible: registry"
                + " unreadable for 6m").after();

        for (int followUp = 0; followUp < 3; followUp++) {
            notifier.actionFailed(Story.TARGET, rollingBack, "ticket-duration-predictor v7 -> stage Production",
                    "MLflow GET registered-models/get-latest-versions failed: HTTP 503: 503 stand-in failure");
        }

        JsonNode page = events(1).getFirst();
        await().atMost(AWAIT).until(notifier::idle);
        assertThat(pagerDuty.getAllServeEvents()).as("once per rollback, not per attempt").hasSize(1);
        assertThat(page.get("event_action").asText()).isEqualTo("trigger");
        assertThat(page.get("dedup_key").asText()).isEqualTo(remediationKey());
        assertThat(page.at("/payload/class").asText()).isEqualTo("rollback-failed");
        assertThat(page.at("/payload/severity").asText()).isEqualTo("critical");
        assertThat(page.at("/payload/summary").asText()).startsWith("orchestrator-dynamic-ml-training: rollback step"
                + " failed: cannot ticket-duration-predictor v7 -> stage Production: MLflow GET"
                + " registered-models/get-latest-versions failed: HTTP 503");

        // The rollback ends; a later one whose step fails is paged again.
        notifier.stepped(story.end(Reason.ROLLED_BACK, HistoryEntry.Outcome.ROLLED_BACK, "rolled back"));
        story.after(Duration.ofHours(7));
        story.firing();
        story.startRetraining();
        story.jobCreated();
        TargetRecord again = story.moveTo(Reason.JOB_FAILED, "Job failed").after();
        notifier.actionFailed(Story.TARGET, again, "ConfigMap orchestrator-dynamic-config:"
                + " ENABLE_ML_ENHANCED_SCHEDULING true -> false", "cannot patch ConfigMap orchestrator-dynamic-config:"
                + " HTTP 500");

        List<JsonNode> events = events(3);
        assertThat(events.get(1).at("/payload/class").asText()).isEqualTo("rolled-back");
        assertThat(events.get(2).at("/payload/class").asText()).isEqualTo("rollback-failed");
        assertThat(events.get(2).get("dedup_key").asText()).isNotEqualTo(remediationKey());
    }
}
