package dev.modelguardian.integrations.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.modelguardian.integrations.notify.NotifyTesting.AWAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.InMemoryStateStore;
import dev.modelguardian.core.remediation.Reason;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.RecordingListener;

/** A notifier never holds a remediation up: hanging endpoints, a full queue. */
class NotifierDeliveryTest {

    static final String PATH = "/services/hang";
    /** Far above every Awaitility bound below. */
    static final int HANG_MILLIS = 20_000;

    WireMockServer slow;
    Notifier notifier;
    SimpleMeterRegistry registry = NotifyTesting.registry();
    MutableClock clock = NotifyTesting.clock();

    @BeforeEach
    void start() {
        slow = new WireMockServer(options().dynamicPort());
        slow.start();
        slow.stubFor(post(PATH).willReturn(ok().withFixedDelay(HANG_MILLIS)));
        slow.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202).withFixedDelay(HANG_MILLIS)));
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        slow.stop();
    }

    @Test
    void givenSlackAndPagerDutyHang_whenTheEngineRemediates_thenTheRemediationEndsPromptly() {
        notifier = NotifyTesting.notifier("""
                timeout: 60s
                slack:
                  webhook-url: %s
                pagerduty:
                  routing-key: 0123456789abcdef0123456789ABCDEF
                  url: %s
                """.formatted(slow.baseUrl() + PATH, slow.baseUrl() + "/v2/enqueue"), registry, clock);
        RecordingListener recorded = new RecordingListener();
        RemediationListenerPair listeners = new RemediationListenerPair(notifier, recorded);
        InMemoryStateStore store = new InMemoryStateStore();
        RemediationEngine engine = new RemediationEngine(new PolicyEngine(null, clock), List.of(),
                List.of(Story.TARGET), store, new FakeCluster(), new RemediationPolicy(Duration.ofHours(6), 3, false,
                        false, Duration.ofMinutes(45), Duration.ofMinutes(5), "ml-retrain-emergency"), 50, clock,
                listeners, () -> true);

        // Forced, then the Job fails: FIRING, RETRAINING, Job created, ROLLING_BACK, ROLLED_BACK in one call.
        CompletableFuture<RemediationEngine.TargetReport> run = CompletableFuture
                .supplyAsync(() -> engine.request(Story.TARGET, true, "remediate --force"));

        await().atMost(Duration.ofSeconds(3)).until(run::isDone);
        assertThat(recorded.path()).containsExactly(RemediationState.FIRING, RemediationState.RETRAINING,
                RemediationState.ROLLING_BACK, RemediationState.ROLLED_BACK);
        assertThat(store.load().targets().get(Story.TARGET.name()).last().orElseThrow().outcome())
                .isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
        // The notifications are still on their way (or waiting): nothing was given up, nothing was sent yet.
        await().atMost(AWAIT).until(() -> slow.getAllServeEvents().size() >= 1);
        assertThat(NotifyTesting.count(registry, "slack", "sent")).isZero();
    }

    @Test
    void givenAFullQueue_whenMoreMilestonesArrive_thenTheyAreDroppedAndCountedWithoutBlocking() {
        notifier = NotifyTesting.notifier("""
                timeout: 60s
                queue-size: 1
                slack:
                  webhook-url: %s
                """.formatted(slow.baseUrl() + PATH), registry, clock);
        Story story = new Story();
        notifier.stepped(story.firing());
        // The sender took the first one and hangs on it; the queue (one place) is empty again.
        await().atMost(AWAIT).until(() -> slow.getAllServeEvents().size() == 1);

        long t0 = System.nanoTime();
        notifier.stepped(story.startRetraining());
        notifier.stepped(story.jobCreated());
        notifier.stepped(story.moveTo(Reason.JOB_FAILED, "Job x failed: BackoffLimitExceeded"));
        notifier.stepped(story.end(Reason.ROLLED_BACK, HistoryEntry.Outcome.ROLLED_BACK, "rolled back"));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        // startRetraining is no milestone (the Job does not exist yet); jobCreated takes the one place.
        assertThat(NotifyTesting.count(registry, "slack", "dropped")).isEqualTo(2);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }
}
