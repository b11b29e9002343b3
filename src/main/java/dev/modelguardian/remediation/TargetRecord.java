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
 * @param snapshot  what rollback restores (model versions, ConfigMap values), filled by the registry step
 * @param history   finished remediations, oldest first
 */
@RegisterForReflection
public record TargetRecord(long revision, TargetState current, String reason, Map<String, String> snapshot,
        List<HistoryEntry> history) {

    public TargetRecord {
        snapshot = Map.copyOf(snapshot);
        history = List.copyOf(history);
    }

    /** A target the guardian has never seen: healthy since {@code now}, with nothing in its past. */
    public static TargetRecord initial(Instant now) {
        return new TargetRecord(0, TargetState.healthy(now), "first seen", Map.of(), List.of());
    }

    /** The next revision with a new current state. */
    public TargetRecord with(TargetState next, String why) {
        return new TargetRecord(revision + 1, next, why, snapshot, history);
    }

    /** The next revision with a finished remediation appended, keeping the newest {@code limit} entries. */
    public TargetRecord finished(TargetState next, String why, HistoryEntry entry, int limit) {
        List<HistoryEntry> kept = new ArrayList<>(history);
        kept.add(entry);
        while (kept.size() > limit) {
            kept.removeFirst();
        }
        return new TargetRecord(revision + 1, next, why, snapshot, kept);
    }

    /** The last finished remediation, if any. */
    public Optional<HistoryEntry> last() {
        return history.isEmpty() ? Optional.empty() : Optional.of(history.getLast());
    }
}
