package dev.modelguardian.integrations.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.Reason;
import dev.modelguardian.core.remediation.RemediationListener.Step;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateMachine;
import dev.modelguardian.core.remediation.TargetHealth.FiredSignal;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TargetState;

/**
 * A target's persisted steps, built the way {@link dev.modelguardian.core.remediation.RemediationEngine} builds them
 * (same record transitions), for notifier tests that need exact numbers. Each call returns the step and keeps the
 * record as persisted.
 */
public final class Story {

    static final String NAMESPACE = "neural-hive";
    public static final TargetSpec TARGET = new TargetSpec("orchestrator-dynamic-ml-training",
            "orchestrator-dynamic-ml-training", List.of("ticket-duration-predictor", "ticket-anomaly-detector"));
    static final FiredSignal MAE = new FiredSignal("ticket-duration-predictor", "mae-ratio", 1.72, "> 1.5 (clear <= 1.3)");
    static final FiredSignal PSI = new FiredSignal("ticket-duration-predictor", "feature-psi", 0.31, "> 0.25");
    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");

    TargetRecord record;
    Instant now = T0;

    public Story() {
        this(TargetRecord.initial(T0));
    }

    public Story(TargetRecord record) {
        this.record = record;
    }

    static String job(Instant at) {
        return "ml-retrain-emergency-" + at.getEpochSecond();
    }

    static String remediationId(Instant at) {
        return "r" + at.getEpochSecond();
    }

    Story after(Duration d) {
        now = now.plus(d);
        return this;
    }

    private Step persist(TargetRecord next, Decision decision) {
        Step step = new Step(TARGET, record, next, decision, StateMachine.reasonOf(decision,
                record.current().state()));
        record = next;
        return step;
    }

    public Step firing() {
        TargetState s = record.current();
        TargetState next = new TargetState(RemediationState.FIRING, now, s.remediationId(), s.jobName(), s.jobCreated(),
                List.of(MAE, PSI), s.approved(), s.recentStarts(), s.lastFinished());
        String reason = "firing: ticket-duration-predictor/mae-ratio 1.72 (> 1.5 (clear <= 1.3)), "
                + "ticket-duration-predictor/feature-psi 0.31 (> 0.25)";
        return persist(record.with(next, reason), new Decision.MoveTo(Reason.POLICY_FIRING, reason));
    }

    public Step startRetraining() {
        TargetState s = record.current();
        List<Instant> starts = new ArrayList<>(s.recentStarts());
        starts.add(now);
        TargetState next = new TargetState(RemediationState.RETRAINING, now, Optional.of(remediationId(now)),
                Optional.of(job(now)), false, s.trigger(), false, starts, s.lastFinished());
        return persist(record.with(next, "retraining: Job " + job(now) + " to be created from CronJob "
                + TARGET.trainer().name()), new Decision.StartRetraining(remediationId(now), job(now), s.trigger()));
    }

    public Step jobCreated() {
        TargetState s = record.current();
        TargetState next = new TargetState(s.state(), s.since(), s.remediationId(), s.jobName(), true, s.trigger(),
                s.approved(), s.recentStarts(), s.lastFinished());
        return persist(record.with(next, "Job " + s.jobName().orElseThrow() + " created from CronJob "
                + TARGET.trainer().name()), new Decision.CreateJob(s.remediationId().orElseThrow(), s.jobName().orElseThrow()));
    }

    /** A step to the state of {@code why} at which the training run's last lines were read (a training failure). */
    public Step moveTo(Reason why, String reason, LogTail log) {
        TargetState s = record.current();
        return persist(record.with(s.moveTo(StateMachine.to(why), now), record.progress().withTrainingLog(log), reason),
                new Decision.MoveTo(why, reason));
    }

    public Step moveTo(Reason why, String reason) {
        TargetState s = record.current();
        return persist(record.with(s.moveTo(StateMachine.to(why), now), reason), new Decision.MoveTo(why, reason));
    }

    public Step end(Reason why, HistoryEntry.Outcome outcome, String reason) {
        RemediationState to = StateMachine.to(why);
        TargetState s = record.current();
        Instant started = s.recentStarts().isEmpty() ? s.since() : s.recentStarts().getLast();
        HistoryEntry entry = new HistoryEntry(s.remediationId().orElse("-"), s.jobName(), started, now, outcome,
                reason, s.trigger()).withTrainingLog(record.progress().trainingLog());
        TargetState next = new TargetState(to, now, Optional.empty(), Optional.empty(), false,
                to == RemediationState.FIRING ? s.trigger() : List.of(), false, s.recentStarts(),
                outcome == HistoryEntry.Outcome.NOT_STARTED ? s.lastFinished() : Optional.of(now));
        return persist(record.finished(next, reason, entry, 50), new Decision.EndRemediation(why, outcome, reason));
    }

    /** As {@link #failedTraining()}, with the failed pod's last lines read at the failure. */
    public List<Step> failedTraining(LogTail log) {
        return failedTraining(Optional.of(log));
    }

    /** A failed training pod's last lines: {@code count} epochs, then the error. */
    public static LogTail trainingLog(int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            lines.add("epoch " + i + "/" + count + " - loss: 0." + (900 - i) + " - val_mae: " + (20 + i) + ".4 - 41s/epoch");
        }
        lines.add("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
        return LogTail.of("pod " + job(T0) + "-x7k2p container ml-training", lines, true);
    }

    /** Firing, Job created, the Job fails after 12 minutes, rolled back: the steps in order. */
    public List<Step> failedTraining() {
        return failedTraining(Optional.empty());
    }

    private List<Step> failedTraining(Optional<LogTail> log) {
        List<Step> steps = new ArrayList<>();
        steps.add(firing());
        steps.add(startRetraining());
        steps.add(jobCreated());
        String job = record.current().jobName().orElseThrow();
        after(Duration.ofMinutes(12));
        String failed = "Job " + job + " failed: BackoffLimitExceeded";
        steps.add(log.map(l -> moveTo(Reason.JOB_FAILED, failed, l)).orElseGet(() -> moveTo(Reason.JOB_FAILED,
                failed)));
        steps.add(end(Reason.ROLLED_BACK, HistoryEntry.Outcome.ROLLED_BACK,
                "nothing to restore: no rollback step is configured; waiting for a human (remediate --force) or a"
                        + " later good training"));
        return steps;
    }

    /** Firing, Job created and complete, validated, promoted, verified: the steps in order. */
    public List<Step> promoted() {
        List<Step> steps = new ArrayList<>();
        steps.add(firing());
        steps.add(startRetraining());
        steps.add(jobCreated());
        String job = record.current().jobName().orElseThrow();
        after(Duration.ofMinutes(20));
        steps.add(moveTo(Reason.JOB_SUCCEEDED, "Job " + job + " complete"));
        steps.add(moveTo(Reason.VALIDATION_PASSED, "every candidate passed: ticket-duration-predictor v8 mae 9.1"
                + " (<= 12)"));
        steps.add(moveTo(Reason.PROMOTED, "promoted ticket-duration-predictor v8 to Production"));
        after(Duration.ofMinutes(30));
        steps.add(end(Reason.VERIFIED, HistoryEntry.Outcome.PROMOTED, "verified: live signals healthy for"
                + " 30m"));
        return steps;
    }
}
