package dev.modelguardian.core.remediation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry step's part of a remediation, persisted with it: the snapshot, the verdict, and which actions of the
 * current state are done. The snapshot and the verdict outlive the remediation (a later rollback by hand restores the
 * last snapshot); {@code done} starts empty in every state.
 *
 * @param snapshot what rollback restores
 * @param verdict  what validation decided
 * @param done     {@link Action#key()} of each action of the current state already taken
 * @param actions  what this remediation did so far, in words, oldest first (for the history and notifications)
 * @param cause    why the remediation is rolling back, kept while the rollback's actions overwrite the reason
 * @param trainingLog the last lines of the training run, read when it failed; kept until the remediation ends and
 *                 goes to its history entry
 */
public record Progress(Optional<Snapshot> snapshot, Optional<Verdict> verdict, List<String> done,
        List<String> actions, Optional<String> cause, Optional<LogTail> trainingLog) {

    public static final Progress EMPTY = new Progress(Optional.empty(), Optional.empty(), List.of(), List.of(),
            Optional.empty(), Optional.empty());

    public Progress {
        snapshot = snapshot == null ? Optional.empty() : snapshot;
        verdict = verdict == null ? Optional.empty() : verdict;
        done = done == null ? List.of() : List.copyOf(done);
        actions = actions == null ? List.of() : List.copyOf(actions);
        cause = cause == null ? Optional.empty() : cause;
        // Absent in records written before training logs were kept.
        trainingLog = trainingLog == null ? Optional.empty() : trainingLog;
    }

    /** Progress without a training log. */
    public Progress(Optional<Snapshot> snapshot, Optional<Verdict> verdict, List<String> done, List<String> actions,
            Optional<String> cause) {
        this(snapshot, verdict, done, actions, cause, Optional.empty());
    }

    /** The failed training run's last lines, kept with the remediation. */
    public Progress withTrainingLog(LogTail log) {
        return new Progress(snapshot, verdict, done, actions, cause, Optional.of(log));
    }

    /** Rolling back because of {@code why}. */
    public Progress withCause(String why) {
        return new Progress(snapshot, verdict, List.of(), actions, Optional.of(why), trainingLog);
    }

    /** Whether the snapshot belongs to remediation {@code id}. */
    public boolean hasSnapshotFor(String id) {
        return snapshot.map(s -> s.remediationId().equals(id)).orElse(false);
    }

    /** A new remediation's snapshot; the verdict and actions of the previous one are gone. */
    public Progress withSnapshot(Snapshot taken) {
        return new Progress(Optional.of(taken), Optional.empty(), List.of(), List.of(), Optional.empty());
    }

    public Progress withVerdict(Verdict decided) {
        return new Progress(snapshot, Optional.of(decided), List.of(), actions, cause, trainingLog);
    }

    /** {@code action} done, described as {@code text}. */
    public Progress withDone(Action action, String text) {
        List<String> d = new ArrayList<>(done);
        d.add(action.key());
        List<String> a = new ArrayList<>(actions);
        a.add(text);
        return new Progress(snapshot, verdict, d, a, cause, trainingLog);
    }

    /** Entering a new state: nothing of it is done yet. */
    public Progress nextState() {
        return done.isEmpty() ? this : new Progress(snapshot, verdict, List.of(), actions, cause, trainingLog);
    }

    /** The remediation ended: its actions and training log went to the history. */
    public Progress ended() {
        return new Progress(snapshot, verdict, List.of(), List.of(), Optional.empty());
    }
}
