package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {

    private static final String NS = "neural-hive";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T20:33:22.123456789Z"), ZoneOffset.UTC);

    KubernetesClient client;

    private EventRecorder recorder() {
        return new EventRecorder(client, NS, "model-guardian-7d9f-abcde", CLOCK);
    }

    private static ObjectReference cronJob(String name) {
        return new ObjectReferenceBuilder().withKind("CronJob").withApiVersion("batch/v1").withName(name)
                .withNamespace(NS).build();
    }

    private List<Event> events() {
        return client.events().v1().events().inNamespace(NS).list().getItems();
    }

    @Test
    void givenACronJob_whenRecorded_thenTheEventCarriesEveryField() {
        recorder().record(cronJob("orchestrator-dynamic-ml-training"), EventReason.POLICY_FIRING,
                "firing: ticket-duration-predictor/mae-percentage 24 (> 20 for 1h (clear <= 18))");

        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getMetadata().getName()).matches("orchestrator-dynamic-ml-training\\.[0-9a-f]{16}");
            assertThat(event.getMetadata().getNamespace()).isEqualTo(NS);
            assertThat(event.getReason()).isEqualTo("PolicyFiring");
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getAction()).isEqualTo("Evaluate");
            assertThat(event.getNote())
                    .isEqualTo("firing: ticket-duration-predictor/mae-percentage 24 (> 20 for 1h (clear <= 18))");
            assertThat(event.getRegarding().getKind()).isEqualTo("CronJob");
            assertThat(event.getRegarding().getApiVersion()).isEqualTo("batch/v1");
            assertThat(event.getRegarding().getName()).isEqualTo("orchestrator-dynamic-ml-training");
            assertThat(event.getRegarding().getNamespace()).isEqualTo(NS);
            assertThat(event.getReportingController()).isEqualTo("model-guardian.dev/guardian");
            assertThat(event.getReportingInstance()).isEqualTo("model-guardian-7d9f-abcde");
            assertThat(event.getEventTime().getTime()).isEqualTo("2026-11-24T20:33:22.123456Z")
                    .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
        });
    }

    @Test
    void givenAJobReadFromTheCluster_whenRecorded_thenTheEventRegardsItWithItsUid() {
        Job job = client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder().withNewMetadata()
                .withName("orchestrator-dynamic-ml-training-r1795638802").withNamespace(NS).endMetadata().build())
                .create();

        recorder().record(job, EventReason.RETRAINING_JOB_CREATED, "remediation r1795638802: Job created");

        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getRegarding().getKind()).isEqualTo("Job");
            assertThat(event.getRegarding().getApiVersion()).isEqualTo("batch/v1");
            assertThat(event.getRegarding().getName()).isEqualTo("orchestrator-dynamic-ml-training-r1795638802");
            assertThat(event.getRegarding().getUid()).isNotBlank().isEqualTo(job.getMetadata().getUid());
            assertThat(event.getReason()).isEqualTo("RetrainingJobCreated");
            assertThat(event.getType()).isEqualTo("Normal");
            assertThat(event.getAction()).isEqualTo("CreateJob");
        });
    }

    @Test
    void givenTwoEventsAboutTheSameObjectAtTheSameInstant_whenRecorded_thenBothAreCreatedUnderDistinctNames() {
        recorder().record(cronJob("orchestrator-dynamic-ml-training"), EventReason.POLICY_PENDING, "first");
        recorder().record(cronJob("orchestrator-dynamic-ml-training"), EventReason.POLICY_PENDING, "second");

        assertThat(events()).extracting(e -> e.getMetadata().getName()).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void givenANoteLongerThanTheApiLimit_whenRecorded_thenItIsCutTo1024Bytes() {
        recorder().record(cronJob("orchestrator-dynamic-ml-training"), EventReason.SOURCE_ERRORS, "x".repeat(3000));

        assertThat(events()).singleElement().satisfies(event -> assertThat(event.getNote()).isEqualTo("x".repeat(1024)));
    }

    @Test
    void givenALongNoteOfMultiByteCharacters_whenRecorded_thenItIsCutWithinTheByteLimitOnACharacterBoundary() {
        // 'é' is 2 bytes and '€' 3 bytes in UTF-8; the API server counts bytes.
        String note = "é".repeat(600) + "€".repeat(10);

        recorder().record(cronJob("orchestrator-dynamic-ml-training"), EventReason.SOURCE_ERRORS, note);

        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getNote()).isEqualTo("é".repeat(512));
            assertThat(event.getNote().getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        });
    }

    @Test
    void givenANoteWithinTheLimit_whenTruncated_thenItIsUnchanged() {
        assertThat(EventRecorder.truncate("€".repeat(341), 1024)).isEqualTo("€".repeat(341));
        assertThat(EventRecorder.truncate("a€", 3)).isEqualTo("a");
        assertThat(EventRecorder.truncate("😀😀", 7)).isEqualTo("😀");
    }

    @Test
    void givenAnObjectNameAtTheKubernetesLimit_whenNamed_thenTheEventNameStaysWithin253Characters() {
        String name = "a".repeat(235) + "-" + "b".repeat(17);

        assertThat(EventRecorder.eventName(name)).hasSize(252).matches("a{235}\\.[0-9a-f]{16}");
    }

    @Test
    void givenAReplicaIdentityLongerThan128Characters_whenRecorded_thenReportingInstanceIsCut() {
        new EventRecorder(client, NS, "p".repeat(200), CLOCK).record(cronJob("orchestrator-dynamic-ml-training"),
                EventReason.RECOVERED, "healthy after verification");

        assertThat(events()).singleElement()
                .satisfies(event -> assertThat(event.getReportingInstance()).isEqualTo("p".repeat(128)));
    }
}
