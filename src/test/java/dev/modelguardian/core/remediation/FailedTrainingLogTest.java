package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.testing.MutableClock;

/**
 * The engine reads a failed training run's last lines once, at the step where it failed, and keeps them with the
 * remediation: in its progress while it rolls back, then in its history entry. Plain JUnit, runs in memory.
 */
class FailedTrainingLogTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final LogTail OOM = LogTail.of("pod ml-retrain-emergency-1763953200-x7k2p container ml-training",
            List.of("epoch 3/20 - loss: 0.871", "RuntimeError: CUDA out of memory"), false);

    /** Runs in memory that end as {@link #outcome} says; every log read is noted. */
    static final class Runs implements TrainingTrigger {
        volatile JobObservation outcome = new JobObservation.Running(Optional.empty(), "1 pod Running");
        final List<String> logReads = new ArrayList<>();
        volatile RuntimeException logFails;

        @Override
        public Optional<String> running(TargetSpec target, Optional<String> excluding) {
            return Optional.empty();
        }

        @Override
        public JobObservation observe(TargetSpec target, String runName) {
            return outcome;
        }

        @Override
        public void start(TargetSpec target, String runName, String remediationId, String why) {
        }

        @Override
        public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
            logReads.add(runName + " " + limits.lines() + "/" + limits.bytes());
            if (logFails != null) {
                throw logFails;
            }
            return OOM;
        }

        @Override
        public Watch followLog(TargetSpec target, String runName, LogSink sink) {
            return () -> {
            };
        }
    }

    final MutableClock clock = new MutableClock();
    final Runs runs = new Runs();
    final InMemoryStateStore store = new InMemoryStateStore();

    @BeforeEach
    void setUp() {
        clock.set(T0);
    }

    private RemediationEngine engine(RecoverySpec recovery, LogTail.Limits limits) {
        TargetSpec target = new TargetSpec("orchestrator-dynamic-ml-training", "orchestrator-dynamic-ml-training",
                List.of("ticket-duration-predictor"), recovery);
        return new RemediationEngine(new PolicyEngine(null, clock), List.of(), List.of(target), store, runs,
                new RemediationPolicy(Duration.ofHours(6), 3, false, false, Duration.ofMinutes(45),
                        Duration.ofMinutes(5), "ml-retrain-emergency", limits), 50, clock,
                RemediationListener.NONE, () -> true);
    }

    private TargetRecord record() {
        return store.load().targets().get("orchestrator-dynamic-ml-training");
    }

    private static RecoverySpec notifyOnly() {
        RecoverySpec none = RecoverySpec.NONE;
        return new RecoverySpec(Map.of(), Optional.empty(), false, false, none.verifyWindow(), none.registryWait(),
                false, Optional.empty(), Map.of());
    }

    private void startThenFail(RemediationEngine engine) {
        TargetSpec target = engine.targets().getFirst();
        engine.request(target, true, "remediate --force");
        clock.advance(Duration.ofMinutes(12));
        runs.outcome = new JobObservation.Failed("BackoffLimitExceeded");
        engine.followUp();
    }

    @Test
    void givenATrainingJobThatFails_whenFollowedUp_thenItsLastLinesAreReadOnceAndKeptInTheHistoryEntry() {
        RemediationEngine engine = engine(RecoverySpec.NONE, LogTail.Limits.DEFAULT);

        startThenFail(engine);
        engine.followUp();

        assertThat(runs.logReads).containsExactly("ml-retrain-emergency-" + T0.getEpochSecond() + " 40/8192");
        HistoryEntry last = record().last().orElseThrow();
        assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
        assertThat(last.trainingLog()).contains(OOM);
        assertThat(record().progress().trainingLog()).as("ended: moved to the history").isEmpty();
    }

    @Test
    void givenOnTrainingFailureNotifyOnly_whenTheJobFails_thenTheLogGoesStraightToTheFailedEntry() {
        RemediationEngine engine = engine(notifyOnly(), LogTail.Limits.DEFAULT);

        startThenFail(engine);

        HistoryEntry last = record().last().orElseThrow();
        assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.FAILED);
        assertThat(last.trainingLog()).contains(OOM);
        assertThat(runs.logReads).hasSize(1);
    }

    @Test
    void givenAJobThatTimesOut_whenFollowedUp_thenTheRunningPodsLogIsKept() {
        RemediationEngine engine = engine(RecoverySpec.NONE, new LogTail.Limits(10, 1024));
        engine.request(engine.targets().getFirst(), true, "remediate --force");

        clock.advance(Duration.ofMinutes(46));
        engine.followUp();

        assertThat(runs.logReads).containsExactly("ml-retrain-emergency-" + T0.getEpochSecond() + " 10/1024");
        assertThat(record().last().orElseThrow().reason()).contains("timed out after 46m");
        assertThat(record().last().orElseThrow().trainingLog()).contains(OOM);
    }

    @Test
    void givenAJobThatCompletes_whenFollowedUp_thenNoLogIsRead() {
        RemediationEngine engine = engine(RecoverySpec.NONE, LogTail.Limits.DEFAULT);
        engine.request(engine.targets().getFirst(), true, "remediate --force");

        runs.outcome = new JobObservation.Succeeded();
        engine.followUp();

        assertThat(record().last().orElseThrow().outcome()).isEqualTo(HistoryEntry.Outcome.RETRAINED);
        assertThat(record().last().orElseThrow().trainingLog()).isEmpty();
        assertThat(runs.logReads).isEmpty();
    }

    @Test
    void givenLogTailsTurnedOff_whenTheJobFails_thenNoLogIsReadAndNoneKept() {
        RemediationEngine engine = engine(RecoverySpec.NONE, new LogTail.Limits(0, 8192));

        startThenFail(engine);
        engine.followUp();

        assertThat(runs.logReads).isEmpty();
        assertThat(record().last().orElseThrow().trainingLog()).isEmpty();
    }

    @Test
    void givenATriggerWhoseLogReadThrows_whenTheJobFails_thenTheRemediationGoesOnAndSaysWhyThereIsNoLog() {
        RemediationEngine engine = engine(RecoverySpec.NONE, LogTail.Limits.DEFAULT);
        runs.logFails = new IllegalStateException("connection reset");

        startThenFail(engine);
        engine.followUp();

        HistoryEntry last = record().last().orElseThrow();
        assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
        assertThat(last.trainingLog()).hasValueSatisfying(log -> assertThat(log.heading()).isEqualTo(
                "no log of Job ml-retrain-emergency-" + T0.getEpochSecond() + ": connection reset"));
    }
}
