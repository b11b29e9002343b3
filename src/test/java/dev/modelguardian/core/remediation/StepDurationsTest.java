package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The timeline a record keeps as the engine moves it (the same {@link TargetRecord} calls, without I/O), who approved,
 * and the per-step durations {@code status} derives from it.
 */
class StepDurationsTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final List<TargetHealth.FiredSignal> MAE = List.of(new TargetHealth.FiredSignal(
            "ticket-duration-predictor", "mae-ratio", 1.72, "> 1.5"));

    private static Instant at(Duration after) {
        return T0.plus(after);
    }

    private static TargetState state(RemediationState state, Instant since, boolean jobCreated) {
        return new TargetState(state, since, state == RemediationState.FIRING ? Optional.empty() : Optional.of("r1"),
                Optional.of("ml-retrain-emergency-1"), jobCreated, MAE, false, List.of(T0), Optional.empty());
    }

    private static TargetRecord move(TargetRecord record, RemediationState to, Duration after) {
        return record.with(state(to, at(after), record.current().jobCreated()), "to " + to);
    }

    private static TargetRecord firing() {
        return move(TargetRecord.initial(T0), RemediationState.FIRING, Duration.ZERO);
    }

    /** Retraining decided at {@code after}, then the Job created a moment later (same state). */
    private static TargetRecord retraining(TargetRecord record, Duration after) {
        TargetRecord decided = record.with(state(RemediationState.RETRAINING, at(after), false), "retraining");
        return decided.with(state(RemediationState.RETRAINING, at(after), true), "Job created");
    }

    private static TargetRecord end(TargetRecord record, RemediationState to, HistoryEntry.Outcome outcome,
            Duration after) {
        HistoryEntry entry = new HistoryEntry("r1", Optional.of("ml-retrain-emergency-1"), T0, at(after), outcome,
                "ended " + outcome, MAE);
        return record.finished(state(to, at(after), false), entry.reason(), entry, 50);
    }

    private static List<org.assertj.core.groups.Tuple> steps(List<StepDurations.Step> steps) {
        return steps.stream().map(s -> tuple(s.step(), s.seconds(), s.ongoing())).toList();
    }

    @Test
    void givenAnApprovedRemediationThatWasPromoted_whenItEnds_thenTheEntryHasTheApproverAndEveryStepsDuration() {
        TargetRecord record = move(firing(), RemediationState.AWAITING_APPROVAL, Duration.ZERO);
        TargetState approved = new TargetState(RemediationState.AWAITING_APPROVAL, T0, Optional.empty(),
                Optional.empty(), false, MAE, true, List.of(), Optional.empty());
        record = record.with(approved, "approved by api-token").approvedBy("api-token", at(Duration.ofMinutes(7)));
        record = retraining(record, Duration.ofMinutes(7));
        record = move(record, RemediationState.VALIDATING, Duration.ofMinutes(32));
        record = record.with(state(RemediationState.PROMOTING, at(Duration.ofMinutes(33)), true), record.progress(),
                "validated");
        record = move(record, RemediationState.VERIFYING, Duration.ofMinutes(33).plusSeconds(30));

        TargetRecord ended = end(record, RemediationState.HEALTHY, HistoryEntry.Outcome.PROMOTED,
                Duration.ofMinutes(38).plusSeconds(30));

        HistoryEntry entry = ended.last().orElseThrow();
        assertThat(entry.timeline().approval())
                .contains(new Timeline.Approval("api-token", at(Duration.ofMinutes(7))));
        assertThat(steps(StepDurations.finished(entry.timeline()))).containsExactly(
                tuple(StepDurations.FIRING_TO_RETRAINING, 420L, false),
                tuple("awaiting approval", 420L, false),
                tuple("Job running", 1500L, false),
                tuple("validation", 60L, false),
                tuple("promotion", 30L, false),
                tuple("verification", 300L, false));
        assertThat(StepDurations.summary(StepDurations.finished(entry.timeline()))).isEqualTo(
                "firing -> retraining started 7m, awaiting approval 7m, Job running 25m, validation 1m,"
                        + " promotion 30s, verification 5m");
        assertThat(ended.timeline()).as("nothing under way any more").isEqualTo(Timeline.EMPTY);
    }

    @Test
    void givenNoApprovalRequired_whenRetrainingStarts_thenTheApproverIsAutoAtThatMoment() {
        TargetRecord record = retraining(firing(), Duration.ofMinutes(2));

        assertThat(record.timeline().approval())
                .contains(new Timeline.Approval(Timeline.AUTO, at(Duration.ofMinutes(2))));
    }

    @Test
    void givenARunningJobAdopted_whenRetrainingStarts_thenTheApproverSaysNobodyWasAsked() {
        TargetRecord record = firing().with(state(RemediationState.RETRAINING, T0, true), "adopted");

        assertThat(record.timeline().approvedBy()).contains(Timeline.ADOPTED);
    }

    @Test
    void givenAnApprovalByAVersionThatDidNotRecordTheApprover_whenRetrainingStarts_thenItSaysSo() {
        TargetRecord record = move(firing(), RemediationState.AWAITING_APPROVAL, Duration.ZERO);

        record = retraining(record, Duration.ofMinutes(3));

        assertThat(record.timeline().approvedBy()).contains(Timeline.UNRECORDED);
    }

    @Test
    void givenARemediationUnderWay_whenDerivedNow_thenTheCurrentStepIsOngoingUntilNow() {
        TargetRecord record = retraining(firing(), Duration.ofMinutes(1));

        List<StepDurations.Step> steps = StepDurations.current(record.timeline(), at(Duration.ofMinutes(13)));

        assertThat(steps(steps)).containsExactly(tuple(StepDurations.FIRING_TO_RETRAINING, 60L, false),
                tuple("Job running", 720L, true));
        assertThat(steps.getLast().to()).isEqualTo(at(Duration.ofMinutes(13)));
        assertThat(StepDurations.summary(steps)).isEqualTo("firing -> retraining started 1m, Job running 12m (ongoing)");
    }

    @Test
    void givenAwaitingApproval_whenDerivedNow_thenFiringToRetrainingAndTheApprovalAreBothOngoing() {
        TargetRecord record = move(firing(), RemediationState.AWAITING_APPROVAL, Duration.ofMinutes(1));

        List<StepDurations.Step> steps = StepDurations.current(record.timeline(), at(Duration.ofMinutes(10)));

        assertThat(steps(steps)).containsExactly(tuple(StepDurations.FIRING_TO_RETRAINING, 600L, true),
                tuple("awaiting approval", 540L, true));
    }

    @Test
    void givenATrainingThatFailed_whenRolledBack_thenJobRunningAndRollbackEachHaveTheirDuration() {
        TargetRecord record = retraining(firing(), Duration.ZERO);
        record = move(record, RemediationState.ROLLING_BACK, Duration.ofMinutes(12));

        TargetRecord ended = end(record, RemediationState.ROLLED_BACK, HistoryEntry.Outcome.ROLLED_BACK,
                Duration.ofMinutes(12).plusSeconds(40));

        assertThat(steps(StepDurations.finished(ended.last().orElseThrow().timeline()))).containsExactly(
                tuple(StepDurations.FIRING_TO_RETRAINING, 0L, false),
                tuple("Job running", 720L, false),
                tuple("rollback", 40L, false));
        assertThat(ended.last().orElseThrow().timeline().marks().getLast())
                .isEqualTo(new Timeline.Mark(RemediationState.ROLLED_BACK, at(Duration.ofMinutes(12).plusSeconds(40))));
    }

    @Test
    void givenAJobThatCouldNotBeCreated_whenTheTargetFiresAgain_thenTheNextAttemptCountsFromTheSameFiring() {
        TargetRecord record = retraining(firing(), Duration.ofMinutes(1));

        TargetRecord ended = end(record, RemediationState.FIRING, HistoryEntry.Outcome.NOT_STARTED,
                Duration.ofMinutes(1));
        TargetRecord again = retraining(ended, Duration.ofMinutes(11));

        assertThat(ended.timeline().marks()).containsExactly(new Timeline.Mark(RemediationState.FIRING, T0));
        assertThat(steps(StepDurations.current(again.timeline(), at(Duration.ofMinutes(11))))).first()
                .isEqualTo(tuple(StepDurations.FIRING_TO_RETRAINING, 660L, false));
    }

    @Test
    void givenTheSignalsStopAndFireAgain_whenTheTargetFiresAgain_thenANewTimelineStarts() {
        TargetRecord record = move(firing(), RemediationState.PENDING, Duration.ofMinutes(5));
        assertThat(record.timeline()).isEqualTo(Timeline.EMPTY);

        record = move(record, RemediationState.FIRING, Duration.ofMinutes(9));

        assertThat(record.timeline().marks())
                .containsExactly(new Timeline.Mark(RemediationState.FIRING, at(Duration.ofMinutes(9))));
    }

    @Test
    void givenAHistoryEntryWrittenBeforeTimelines_whenDerived_thenNoStepsAndNoApprover() {
        HistoryEntry old = new HistoryEntry("r0", Optional.empty(), T0, T0.plusSeconds(60),
                HistoryEntry.Outcome.RETRAINED, "done", MAE, Optional.empty(), List.of());

        assertThat(StepDurations.finished(old.timeline())).isEmpty();
        assertThat(old.timeline().approvedBy()).isEmpty();
        assertThat(StepDurations.summary(List.of())).isEqualTo("-");
    }

    @Test
    void givenARemediationThatGoesBackAndForthForLong_whenMarked_thenTheTimelineStaysBounded() {
        TargetRecord record = retraining(firing(), Duration.ZERO);
        for (int i = 1; i <= 40; i++) {
            RemediationState to = i % 2 == 0 ? RemediationState.ROLLING_BACK : RemediationState.VALIDATING;
            record = move(record, to, Duration.ofMinutes(i));
        }

        assertThat(record.timeline().marks()).hasSize(Timeline.MAX_MARKS);
        assertThat(record.timeline().marks().getLast().at()).isEqualTo(at(Duration.ofMinutes(40)));
    }

    @Test
    void givenSignalsTurningInconclusive_whenNotedEveryCycle_thenTheFirstMomentIsKeptUntilTheyAreConclusive() {
        TargetRecord record = TargetRecord.initial(T0);

        TargetRecord noted = record.inconclusive(true, at(Duration.ofMinutes(1))).orElseThrow();

        assertThat(noted.inconclusiveSince()).contains(at(Duration.ofMinutes(1)));
        assertThat(noted.revision()).isEqualTo(record.revision() + 1);
        assertThat(noted.inconclusive(true, at(Duration.ofMinutes(2)))).as("no write while it lasts").isEmpty();
        assertThat(noted.inconclusive(false, at(Duration.ofMinutes(3))).orElseThrow().inconclusiveSince()).isEmpty();
        assertThat(record.inconclusive(false, at(Duration.ofMinutes(3)))).isEmpty();
        assertThat(noted.with(state(RemediationState.FIRING, T0, false), "x").inconclusiveSince())
                .as("a step keeps it").contains(at(Duration.ofMinutes(1)));
    }
}
