package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One finished remediation, as the state ConfigMap keeps it (newest last, at most {@code guardian.state.history}).
 *
 * @param id      the remediation id
 * @param job     the training Job it created or adopted, if any
 * @param started when retraining was decided
 * @param ended   when the remediation ended
 * @param outcome how it ended
 * @param reason  the last decision's reason, with the numbers
 * @param trigger what fired
 * @param verdict what validation decided, with every number it used
 * @param actions what the remediation changed (promotions, restored versions, flag values, restarts), in order
 * @param timeline when it entered each state (the last mark: the state it ended in) and who approved it; empty for
 *                entries written before timelines were kept
 * @param requestedBy who asked for it by hand, when a human did ({@link TargetState#requestedBy()})
 * @param trainingLog the last lines of its training run, when the run failed, timed out or got stuck
 */
public record HistoryEntry(String id, Optional<String> job, Instant started, Instant ended, Outcome outcome,
        String reason, List<TargetHealth.FiredSignal> trigger, Optional<Verdict> verdict, List<String> actions,
        Timeline timeline, Optional<String> requestedBy, Optional<LogTail> trainingLog) {

    public HistoryEntry {
        trigger = trigger == null ? List.of() : List.copyOf(trigger);
        verdict = verdict == null ? Optional.empty() : verdict;
        actions = actions == null ? List.of() : List.copyOf(actions);
        timeline = timeline == null ? Timeline.EMPTY : timeline;
        requestedBy = requestedBy == null ? Optional.empty() : requestedBy;
        trainingLog = trainingLog == null ? Optional.empty() : trainingLog;
    }

    /** An entry without a training log. */
    public HistoryEntry(String id, Optional<String> job, Instant started, Instant ended, Outcome outcome,
            String reason, List<TargetHealth.FiredSignal> trigger, Optional<Verdict> verdict, List<String> actions,
            Timeline timeline, Optional<String> requestedBy) {
        this(id, job, started, ended, outcome, reason, trigger, verdict, actions, timeline, requestedBy,
                Optional.empty());
    }

    /** An entry no human requested. */
    public HistoryEntry(String id, Optional<String> job, Instant started, Instant ended, Outcome outcome,
            String reason, List<TargetHealth.FiredSignal> trigger, Optional<Verdict> verdict, List<String> actions,
            Timeline timeline) {
        this(id, job, started, ended, outcome, reason, trigger, verdict, actions, timeline, Optional.empty());
    }

    /** An entry whose timeline the record adds when it is appended ({@link TargetRecord#finished}). */
    public HistoryEntry(String id, Optional<String> job, Instant started, Instant ended, Outcome outcome,
            String reason, List<TargetHealth.FiredSignal> trigger, Optional<Verdict> verdict, List<String> actions) {
        this(id, job, started, ended, outcome, reason, trigger, verdict, actions, Timeline.EMPTY);
    }

    /** An entry with no registry step: nothing validated, nothing changed beyond the Job. */
    public HistoryEntry(String id, Optional<String> job, Instant started, Instant ended, Outcome outcome,
            String reason, List<TargetHealth.FiredSignal> trigger) {
        this(id, job, started, ended, outcome, reason, trigger, Optional.empty(), List.of());
    }

    /** The same entry with {@code kept} as its timeline. */
    public HistoryEntry withTimeline(Timeline kept) {
        return new HistoryEntry(id, job, started, ended, outcome, reason, trigger, verdict, actions, kept,
                requestedBy, trainingLog);
    }

    /** The same entry, requested by hand by {@code by} when present. */
    public HistoryEntry requestedBy(Optional<String> by) {
        return new HistoryEntry(id, job, started, ended, outcome, reason, trigger, verdict, actions, timeline, by,
                trainingLog);
    }

    /** The same entry with the training run's last lines, when there are any. */
    public HistoryEntry withTrainingLog(Optional<LogTail> log) {
        return new HistoryEntry(id, job, started, ended, outcome, reason, trigger, verdict, actions, timeline,
                requestedBy, log);
    }

    /** How a remediation ended. Low cardinality: also the {@code outcome} tag of the remediation counter. */
    public enum Outcome {
        /** Training completed and no registry step is configured: the target went back to watching. */
        RETRAINED,
        /** A new model version was promoted and verified (registry step). */
        PROMOTED,
        /** Training or validation failed, or verification saw a breach; the previous state was restored. */
        ROLLED_BACK,
        /** Training failed, got stuck, timed out or vanished, and the target only notifies (nothing rolled back). */
        FAILED,
        /** The Job could not be created (CronJob missing, rejected, forbidden). */
        NOT_STARTED,
        /** A person rejected the retraining that waited for approval; nothing was started. */
        REJECTED,
        /** Dry run: the Job that would have been created was recorded, nothing was created. */
        DRY_RUN;

        /** The tag value: the name in lower case, e.g. {@code rolled_back}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
