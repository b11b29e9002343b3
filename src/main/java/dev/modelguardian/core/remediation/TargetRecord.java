package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * @param timeline  when the current remediation entered each state and who approved it (empty when none is under
 *                  way, and in records written before timelines were kept)
 * @param inconclusiveSince since when the target's signals are inconclusive, as the last evaluation cycle saw them;
 *                  empty while they are conclusive (kept here so that a restart does not start the time again)
 */
public record TargetRecord(long revision, TargetState current, String reason, Progress progress,
        Map<String, Optional<String>> flagsToRestore, List<HistoryEntry> history, Timeline timeline,
        Optional<Instant> inconclusiveSince) {

    public TargetRecord {
        progress = progress == null ? Progress.EMPTY : progress;
        flagsToRestore = flagsToRestore == null ? Map.of() : Map.copyOf(flagsToRestore);
        history = List.copyOf(history);
        timeline = timeline == null ? Timeline.EMPTY : timeline;
        inconclusiveSince = inconclusiveSince == null ? Optional.empty() : inconclusiveSince;
    }

    /** A record without timeline and without inconclusive signals, as records were before either was kept. */
    public TargetRecord(long revision, TargetState current, String reason, Progress progress,
            Map<String, Optional<String>> flagsToRestore, List<HistoryEntry> history) {
        this(revision, current, reason, progress, flagsToRestore, history, Timeline.EMPTY, Optional.empty());
    }

    /** A target the guardian has never seen: healthy since {@code now}, with nothing in its past. */
    public static TargetRecord initial(Instant now) {
        return new TargetRecord(0, TargetState.healthy(now), "first seen", Progress.EMPTY, Map.of(), List.of());
    }

    /** The next revision with a new current state; entering another state starts its actions afresh. */
    public TargetRecord with(TargetState next, String why) {
        Progress p = next.state() == current.state() ? progress
                : next.state() == RemediationState.ROLLING_BACK ? progress.withCause(why) : progress.nextState();
        return new TargetRecord(revision + 1, next, why, p, flagsToRestore, history, timeline(next),
                inconclusiveSince);
    }

    /** The next revision with a new state and new progress. */
    public TargetRecord with(TargetState next, Progress nextProgress, String why) {
        Progress p = next.state() == RemediationState.ROLLING_BACK && current.state() != RemediationState.ROLLING_BACK
                ? nextProgress.withCause(why) : nextProgress;
        return new TargetRecord(revision + 1, next, why, p, flagsToRestore, history, timeline(next),
                inconclusiveSince);
    }

    /** The next revision with the same state and new progress. */
    public TargetRecord with(Progress next, String why) {
        return new TargetRecord(revision + 1, current, why, next, flagsToRestore, history, timeline,
                inconclusiveSince);
    }

    /** The next revision with new progress and flags to restore. */
    public TargetRecord with(Progress next, Map<String, Optional<String>> toRestore, String why) {
        return new TargetRecord(revision + 1, current, why, next, toRestore, history, timeline, inconclusiveSince);
    }

    /** The same record with the current remediation approved by {@code by} at {@code at} (no new revision). */
    public TargetRecord approvedBy(String by, Instant at) {
        return new TargetRecord(revision, current, reason, progress, flagsToRestore, history,
                timeline.approvedBy(by, at), inconclusiveSince);
    }

    /**
     * The next revision noting whether the signals are inconclusive at {@code now}; empty when that changes nothing
     * (still inconclusive since an earlier time, or still conclusive).
     */
    public Optional<TargetRecord> inconclusive(boolean inconclusive, Instant now) {
        if (inconclusive == inconclusiveSince.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new TargetRecord(revision + 1, current, reason, progress, flagsToRestore, history,
                timeline, inconclusive ? Optional.of(now) : Optional.empty()));
    }

    /**
     * The next revision with a finished remediation appended, keeping the newest {@code limit} entries. The entry
     * gets the remediation's timeline, ended in {@code next}'s state at the entry's end.
     */
    public TargetRecord finished(TargetState next, String why, HistoryEntry entry, int limit) {
        List<HistoryEntry> kept = new ArrayList<>(history);
        kept.add(entry.timeline().marks().isEmpty()
                ? entry.withTimeline(timeline.endedIn(next.state(), entry.ended()))
                : entry);
        while (kept.size() > limit) {
            kept.removeFirst();
        }
        return new TargetRecord(revision + 1, next, why, progress.ended(), flagsToRestore, kept,
                timeline.afterEnd(next.state(), entry.ended()), inconclusiveSince);
    }

    /**
     * This record with only the newest {@code limit} finished remediations (the same revision): every write keeps the
     * history within {@code guardian.state.history}, so lowering it shrinks the state at the next write.
     */
    public TargetRecord keepingHistory(int limit) {
        if (history.size() <= limit) {
            return this;
        }
        return new TargetRecord(revision, current, reason, progress, flagsToRestore,
                history.subList(history.size() - limit, history.size()), timeline, inconclusiveSince);
    }

    /** The timeline once {@code next} is the current state. */
    private Timeline timeline(TargetState next) {
        return next.state() == current.state() ? timeline : timeline.entered(current, next);
    }

    /** The last finished remediation, if any. */
    public Optional<HistoryEntry> last() {
        return history.isEmpty() ? Optional.empty() : Optional.of(history.getLast());
    }
}
