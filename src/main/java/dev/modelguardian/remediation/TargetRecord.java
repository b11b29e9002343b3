package dev.modelguardian.remediation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Everything persisted about one training target: its current remediation, the snapshot that rollback restores, and
 * the history of finished remediations.
 *
 * @param revision  incremented on every write; a write succeeds only on the revision it was decided on
 * @param current   where the target stands
 * @param reason    why it moved there, with the numbers
 * @param progress  the registry step of the current (or last) remediation: snapshot, verdict, actions done
 * @param flagsToRestore flag values a rollback changed, put back after a later verified promotion when
 *                  {@code reenable-after-recovery} is set; empty when no rollback is outstanding
 * @param history   finished remediations, oldest first
 */
@RegisterForReflection
public record TargetRecord(long revision, TargetState current, String reason, Progress progress,
        Map<String, Optional<String>> flagsToRestore, List<HistoryEntry> history) {

    public TargetRecord {
        progress = progress == null ? Progress.EMPTY : progress;
        flagsToRestore = flagsToRestore == null ? Map.of() : Map.copyOf(flagsToRestore);
        history = List.copyOf(history);
    }

    /** A target the guardian has never seen: healthy since {@code now}, with nothing in its past. */
    public static TargetRecord initial(Instant now) {
        return new TargetRecord(0, TargetState.healthy(now), "first seen", Progress.EMPTY, Map.of(), List.of());
    }

    /** The next revision with a new current state; entering another state starts its actions afresh. */
    public TargetRecord with(TargetState next, String why) {
        Progress p = next.state() == current.state() ? progress
                : next.state() == RemediationState.ROLLING_BACK ? progress.withCause(why) : progress.nextState();
        return new TargetRecord(revision + 1, next, why, p, flagsToRestore, history);
    }

    /** The next revision with a new state and new progress. */
    public TargetRecord with(TargetState next, Progress nextProgress, String why) {
        Progress p = next.state() == RemediationState.ROLLING_BACK && current.state() != RemediationState.ROLLING_BACK
                ? nextProgress.withCause(why) : nextProgress;
        return new TargetRecord(revision + 1, next, why, p, flagsToRestore, history);
    }

    /** The next revision with the same state and new progress. */
    public TargetRecord with(Progress next, String why) {
        return new TargetRecord(revision + 1, current, why, next, flagsToRestore, history);
    }

    /** The next revision with new progress and flags to restore. */
    public TargetRecord with(Progress next, Map<String, Optional<String>> toRestore, String why) {
        return new TargetRecord(revision + 1, current, why, next, toRestore, history);
    }

    /** The next revision with a finished remediation appended, keeping the newest {@code limit} entries. */
    public TargetRecord finished(TargetState next, String why, HistoryEntry entry, int limit) {
        List<HistoryEntry> kept = new ArrayList<>(history);
        kept.add(entry);
        while (kept.size() > limit) {
            kept.removeFirst();
        }
        return new TargetRecord(revision + 1, next, why, progress.ended(), flagsToRestore, kept);
    }

    /** The last finished remediation, if any. */
    public Optional<HistoryEntry> last() {
        return history.isEmpty() ? Optional.empty() : Optional.of(history.getLast());
    }
}
