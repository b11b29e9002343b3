package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.Hold;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.integrations.notify.Story;

/** Guard Events come from the stay's typed {@link Hold}, once per block, never from its wording. */
@EnableKubernetesMockClient(crud = true)
class EventsListenerTest {

    private static final String NS = "neural-hive";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T03:00:00Z"), ZoneOffset.UTC);
    private static final Decision.Stay COOLDOWN = new Decision.Stay(Hold.COOLDOWN,
            "cooldown: the last remediation ended 2026-11-24T01:00:00Z; next possible at 2026-11-24T07:00:00Z");

    KubernetesClient client;

    private EventsListener listener() {
        return new EventsListener(new EventRecorder(client, NS, "guardian-0", CLOCK), NS);
    }

    private TargetRecord firing() {
        return new Story().firing().after();
    }

    private List<Event> events() {
        return client.events().v1().events().inNamespace(NS).list().getItems();
    }

    @Test
    void givenACooldownHold_whenTheTargetStaysTwice_thenOneGuardBlockedEventWithTheWait() {
        EventsListener listener = listener();

        listener.stayed(Story.TARGET, firing(), COOLDOWN);
        listener.stayed(Story.TARGET, firing(), COOLDOWN);

        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("GuardBlocked");
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getNote()).isEqualTo("orchestrator-dynamic-ml-training: firing, but " + COOLDOWN.detail());
        });
    }

    @Test
    void givenTheCooldownPassedIntoTheDailyCap_whenTheTargetStays_thenASecondGuardBlockedEvent() {
        EventsListener listener = listener();

        listener.stayed(Story.TARGET, firing(), COOLDOWN);
        listener.stayed(Story.TARGET, firing(), new Decision.Stay(Hold.DAILY_CAP,
                "daily cap: 3 remediations started in the last 24h (max 3)"));

        assertThat(events()).extracting(Event::getNote).containsExactlyInAnyOrder(
                "orchestrator-dynamic-ml-training: firing, but " + COOLDOWN.detail(),
                "orchestrator-dynamic-ml-training: firing, but daily cap: 3 remediations started in the last 24h"
                        + " (max 3)");
    }

    @Test
    void givenAStayWordedLikeAGuardButHeldForAnotherReason_whenTheTargetStays_thenNoGuardBlockedEvent() {
        listener().stayed(Story.TARGET, firing(), new Decision.Stay(Hold.JOB_RUNNING,
                "cooldown: a message that only reads like a guard"));

        assertThat(events()).isEmpty();
    }

    @Test
    void givenABlockThatEnded_whenTheSameGuardHoldsAgain_thenItIsToldAgain() {
        EventsListener listener = listener();

        listener.stayed(Story.TARGET, firing(), COOLDOWN);
        listener.stayed(Story.TARGET, firing(), new Decision.Stay(Hold.HEALTHY, "healthy"));
        listener.stayed(Story.TARGET, firing(), COOLDOWN);

        assertThat(events()).hasSize(2);
    }

    @Test
    void givenATrainingJobThatFailedWithItsLogKept_whenTold_thenTheEventNoteEndsWithTheNewestLinesThatFitTheLimit() {
        EventsListener listener = listener();
        dev.modelguardian.core.remediation.LogTail log = Story.trainingLog(39);

        new Story().failedTraining(log).forEach(listener::stepped);

        Event failed = events().stream().filter(e -> e.getReason().equals("RetrainingFailed")).findFirst()
                .orElseThrow(() -> new AssertionError("no RetrainingFailed Event in " + events()));
        assertThat(failed.getNote().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(EventRecorder.NOTE_LIMIT_BYTES);
        assertThat(failed.getNote()).contains("failed: BackoffLimitExceeded\nlast 40 lines of pod ")
                .endsWith("\nepoch 39/39 - loss: 0.861 - val_mae: 59.4 - 41s/epoch\n"
                        + "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB")
                .doesNotContain("epoch 1/39 ");
    }
}
