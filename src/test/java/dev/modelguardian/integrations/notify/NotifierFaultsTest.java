package dev.modelguardian.integrations.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.modelguardian.integrations.notify.NotifyTesting.AWAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.InMemoryStateStore;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.RecordingListener;

/**
 * The same two remediations (one retrained, one rolled back after its Job failed, six hours later) run with no
 * notifier, and with Slack, PagerDuty and the webhook hanging, failing with 500, or refusing connections, and with a
 * listener that throws. Every run persists the same steps with the same reasons at the same instants of the virtual
 * clock, in the same number of engine calls, and ends with the same history: a notifier never changes what a
 * remediation does or when.
 */
class NotifierFaultsTest {

    /** What the notification endpoints do. */
    enum Endpoints {
        /** No notifier at all: the reference. */
        NONE,
        /** Every endpoint answers after 20 s (beyond the run; the notifier's timeout is 60 s). */
        HANGING,
        /** Every endpoint answers 500. */
        FAILING,
        /** Nothing listens where the endpoints are. */
        REFUSING,
        /** A listener of the engine throws on every call. */
        THROWING_LISTENER
    }

    WireMockServer endpoints;
    Notifier notifier;
    final SimpleMeterRegistry meters = NotifyTesting.registry();

    @BeforeEach
    void start() {
        endpoints = new WireMockServer(options().dynamicPort());
        endpoints.start();
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        endpoints.stop();
    }

    private Notifier notifier(String base, MutableClock clock) {
        return NotifyTesting.notifier("""
                timeout: 60s
                slack:
                  webhook-url: %1$s/services/T000/B000/XXXX
                pagerduty:
                  routing-key: 0123456789abcdef0123456789ABCDEF
                  url: %1$s/v2/enqueue
                webhook:
                  url: %1$s/hooks/guardian
                """.formatted(base), meters, clock);
    }

    /** One persisted step as the comparison sees it: the move, its reason, and when on the virtual clock. */
    private static String describe(RemediationListener.Step step) {
        return step.before().current().state() + " -> " + step.after().current().state() + " at "
                + step.after().current().since() + " rev " + step.after().revision() + ": " + step.after().reason();
    }

    /** The steps, the history and the engine calls of the script, run with {@code endpoints}. */
    private List<String> run(Endpoints mode) {
        MutableClock clock = NotifyTesting.clock();
        RecordingListener recorded = new RecordingListener();
        RemediationListener listener = recorded;
        switch (mode) {
            case NONE -> { }
            case HANGING -> {
                endpoints.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(20_000)));
                notifier = notifier(endpoints.baseUrl(), clock);
            }
            case FAILING -> {
                endpoints.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("upstream down")));
                notifier = notifier(endpoints.baseUrl(), clock);
            }
            case REFUSING -> notifier = notifier("http://127.0.0.1:" + PrometheusServer.closedPort(), clock);
            // Recorded first: the engine itself catches what the broken one throws (the application's composite
            // listener also shields the listeners from each other).
            case THROWING_LISTENER -> listener = new RemediationListenerPair(recorded, new RemediationListener() {
                @Override
                public void stepped(Step step) {
                    throw new IllegalStateException("listener broken");
                }

                @Override
                public void stayed(TargetSpec target, TargetRecord record, Decision.Stay stay) {
                    throw new IllegalStateException("listener broken");
                }
            });
        }
        if (notifier != null) {
            listener = new RemediationListenerPair(notifier, recorded);
        }
        FakeCluster cluster = new FakeCluster();
        InMemoryStateStore store = new InMemoryStateStore();
        RemediationEngine engine = new RemediationEngine(new PolicyEngine(null, clock), List.of(),
                List.of(Story.TARGET), store, cluster, new RemediationPolicy(Duration.ofHours(6), 3, false, false,
                        Duration.ofMinutes(45), Duration.ofMinutes(5), "ml-retrain-emergency"), 50, clock,
                listener, () -> true);
        List<String> calls = new ArrayList<>();
        // A guard against a hang only: the comparison is on the virtual clock and the steps.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            cluster.outcome = new JobObservation.Running(Optional.empty(), "1 pod Running");
            calls.add(engine.request(Story.TARGET, true, "remediate --force").reason());
            clock.advance(Duration.ofMinutes(20));
            calls.add(engine.followUp().getFirst().reason());
            cluster.outcome = new JobObservation.Succeeded();
            clock.advance(Duration.ofMinutes(12));
            calls.add(engine.followUp().getFirst().reason());
            clock.advance(Duration.ofHours(6));
            cluster.outcome = new JobObservation.Failed("BackoffLimitExceeded");
            calls.add(engine.request(Story.TARGET, true, "remediate --force").reason());
        });
        List<String> seen = new ArrayList<>();
        recorded.steps().forEach(step -> seen.add(describe(step)));
        calls.forEach(c -> seen.add("call: " + c));
        store.load().targets().get(Story.TARGET.name()).history().forEach(h -> seen.add("history: " + h.outcome()
                + " " + h.started() + ".." + h.ended() + " " + h.reason()));
        return seen;
    }

    @ParameterizedTest(name = "notifications {0}")
    @EnumSource(value = Endpoints.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void givenNotificationsThatHangOrFail_whenTwoRemediationsRun_thenEveryStepAndTimeIsAsWithoutANotifier(
            Endpoints mode) {
        List<String> reference = run(Endpoints.NONE);
        assertThat(reference).filteredOn(s -> s.startsWith("history: ")).satisfiesExactly(
                first -> assertThat(first).startsWith("history: " + HistoryEntry.Outcome.RETRAINED
                        + " 2026-11-24T03:00:00Z..2026-11-24T03:32:00Z"),
                second -> assertThat(second).startsWith("history: " + HistoryEntry.Outcome.ROLLED_BACK
                        + " 2026-11-24T09:32:00Z..2026-11-24T09:32:00Z"));

        List<String> disturbed = run(mode);

        assertThat(disturbed).isEqualTo(reference);
        switch (mode) {
            case HANGING -> {
                // The run ended while no endpoint had answered yet: it waited for none of them.
                for (String channel : List.of("slack", "pagerduty", "webhook")) {
                    assertThat(NotifyTesting.count(meters, channel, "sent")).as(channel).isZero();
                }
                await().atMost(AWAIT).until(() -> endpoints.getAllServeEvents().size() >= 3);
            }
            case FAILING -> await().atMost(AWAIT).until(() -> NotifyTesting.count(meters, "slack", "failed") >= 1);
            case REFUSING -> await().atMost(AWAIT).until(() -> NotifyTesting.count(meters, "pagerduty", "failed")
                    >= 1);
            case NONE, THROWING_LISTENER -> { }
        }
    }
}
