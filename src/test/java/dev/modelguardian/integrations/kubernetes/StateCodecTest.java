package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StepDurations;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.Timeline;

/**
 * The state ConfigMap's JSON across versions. {@code state/target-before-timeline.json} was written by the previous
 * version's codec (before timelines, approvers and the inconclusive time were kept): a VERIFYING remediation with a
 * snapshot, a verdict, flags to restore and one rolled-back entry in its history.
 */
class StateCodecTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");

    private final StateCodec codec = new StateCodec();

    static String previousVersion() throws IOException {
        try (InputStream in = StateCodecTest.class.getResourceAsStream("/state/target-before-timeline.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void givenARecordWrittenByThePreviousVersion_whenRead_thenEverythingLoadsAndTheNewFieldsAreEmpty()
            throws IOException {
        TargetRecord record = codec.readTarget("target.t.json", previousVersion());

        assertThat(record.revision()).isEqualTo(17);
        assertThat(record.current().state()).isEqualTo(RemediationState.VERIFYING);
        assertThat(record.current().approved()).isTrue();
        assertThat(record.current().recentStarts()).containsExactly(T0.minusSeconds(86400), T0);
        assertThat(record.progress().snapshot().orElseThrow().models().get("ticket-duration-predictor").version())
                .isEqualTo("7");
        assertThat(record.progress().verdict().orElseThrow().summary())
                .isEqualTo("ticket-duration-predictor v8 passed (mae_percentage 12.1 < 15)");
        assertThat(record.progress().cause()).isEmpty();
        assertThat(record.flagsToRestore()).containsEntry("enableMlEnhancedScheduling", Optional.of("true"));
        HistoryEntry entry = record.history().getFirst();
        assertThat(entry.outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
        assertThat(entry.actions()).containsExactly("set enableMlEnhancedScheduling=false in ConfigMap"
                + " neural-hive-config");
        assertThat(entry.verdict()).isEmpty();

        assertThat(record.timeline()).isEqualTo(Timeline.EMPTY);
        assertThat(record.inconclusiveSince()).isEmpty();
        assertThat(entry.timeline()).isEqualTo(Timeline.EMPTY);
        assertThat(StepDurations.finished(entry.timeline())).isEmpty();
    }

    @Test
    void givenAnOldRecord_whenTheNextStepIsWrittenAndReadBack_thenItCarriesTheTimelineOnward() throws IOException {
        TargetRecord old = codec.readTarget("target.t.json", previousVersion());
        TargetRecord next = old.with(old.current().moveTo(RemediationState.ROLLING_BACK, T0.plusSeconds(1200)),
                "verification failed").inconclusive(true, T0.plusSeconds(1300)).orElseThrow();

        String json = codec.writeTarget(next);
        TargetRecord read = codec.readTarget("target.t.json", json);

        assertThat(read).isEqualTo(next);
        assertThat(read.timeline().marks())
                .containsExactly(new Timeline.Mark(RemediationState.ROLLING_BACK, T0.plusSeconds(1200)));
        assertThat(read.inconclusiveSince()).contains(T0.plusSeconds(1300));
        assertThat(json).contains("\"inconclusiveSince\":\"2026-11-24T03:21:40Z\"")
                .contains("\"timeline\":{\"marks\":[{\"state\":\"ROLLING_BACK\",\"at\":\"2026-11-24T03:20:00Z\"}]");
    }

    @Test
    void givenAFinishedRemediationWithItsApprover_whenWrittenAndRead_thenTheEntryKeepsTimelineAndApprover() {
        Timeline timeline = new Timeline(List.of(new Timeline.Mark(RemediationState.FIRING, T0),
                new Timeline.Mark(RemediationState.RETRAINING, T0.plusSeconds(60)),
                new Timeline.Mark(RemediationState.HEALTHY, T0.plusSeconds(900))),
                Optional.of(new Timeline.Approval("api-token", T0.plusSeconds(60))));
        HistoryEntry entry = new HistoryEntry("r1", Optional.of("j"), T0.plusSeconds(60), T0.plusSeconds(900),
                HistoryEntry.Outcome.RETRAINED, "done", List.of()).withTimeline(timeline);
        TargetRecord record = new TargetRecord(3, TargetRecord.initial(T0).current(), "done",
                TargetRecord.initial(T0).progress(), java.util.Map.of(), List.of(entry));

        TargetRecord read = codec.readTarget("target.t.json", codec.writeTarget(record));

        assertThat(read.history().getFirst().timeline()).isEqualTo(timeline);
        assertThat(read.history().getFirst().timeline().approvedBy()).contains("api-token");
    }
}
