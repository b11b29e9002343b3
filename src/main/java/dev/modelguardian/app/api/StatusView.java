package dev.modelguardian.app.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StepDurations;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.core.remediation.Trainer;

/**
 * {@code GET /api/v1/status}: schema {@value #SCHEMA}. Targets come from the state ConfigMaps, so every replica
 * answers with the cluster's truth; signals and the last cycle are this replica's own (empty on a non-leader).
 *
 * <p>The endpoints return a {@code Response}, so the REST extension does not see these records: they are registered
 * for reflection in {@code app/NativeImage}.
 */
public record StatusView(String schema, Leader leader, Optional<Cycle> lastCycle, Optional<String> lastError,
        List<Target> targets, List<Signal> signals) {

    public static final String SCHEMA = "model-guardian/status/v1";

    /** This replica and the Lease. */
    public record Leader(String identity, boolean leading, Optional<String> holder) {
    }

    /** The last full cycle this replica ran. */
    public record Cycle(Instant at, long tookMillis, int policies) {
        static Cycle of(RemediationEngine.CycleReport report) {
            return new Cycle(report.at(), report.took().toMillis(), report.evaluations().size());
        }
    }

    /**
     * One training target as persisted. {@code approvedBy}/{@code approvedAt} and {@code steps} belong to the
     * remediation under way (its last step ongoing until now); each history entry has its own.
     */
    public record Target(String name, String cronJob, Trainer training, List<String> models, RemediationState state,
            Instant since,
            String reason, Optional<String> remediationId, Optional<String> job, List<TargetHealth.FiredSignal> trigger,
            Optional<String> requestedBy, boolean approved, Optional<String> approvedBy, Optional<Instant> approvedAt,
            List<StepDurations.Step> steps, Optional<Instant> inconclusiveSince, Optional<Instant> lastFinished,
            Optional<LogTail> trainingLog, List<History> history) {

        static Target of(TargetSpec spec, TargetRecord record, Instant now) {
            var s = record.current();
            List<HistoryEntry> recent = record.history().size() <= 10 ? record.history()
                    : record.history().subList(record.history().size() - 10, record.history().size());
            return new Target(spec.name(), spec.trainer().cronJob().orElse(null), spec.trainer(), spec.models(),
                    s.state(), s.since(), record.reason(),
                    s.remediationId(), s.jobName(), s.trigger(), s.requestedBy(), s.approved(),
                    record.timeline().approvedBy(),
                    record.timeline().approval().map(Timeline.Approval::at),
                    StepDurations.current(record.timeline(), now), record.inconclusiveSince(), s.lastFinished(),
                    record.progress().trainingLog(), recent.stream().map(History::of).toList());
        }
    }

    /** One finished remediation as persisted, with who approved it and how long each step took. */
    public record History(@JsonUnwrapped HistoryEntry entry, Optional<String> approvedBy,
            List<StepDurations.Step> steps) {
        static History of(HistoryEntry entry) {
            return new History(entry, entry.timeline().approvedBy(), StepDurations.finished(entry.timeline()));
        }
    }

    /** One policy as last evaluated by this replica. */
    public record Signal(String model, String signal, String state, Optional<Double> value, String bound,
            Instant since) {
        static Signal of(Evaluation e) {
            var st = e.status();
            return new Signal(e.policy().model(), e.policy().signal(), st.state().name(),
                    st.value().isPresent() && Double.isFinite(st.value().getAsDouble())
                            ? Optional.of(st.value().getAsDouble()) : Optional.empty(),
                    e.policy().describeBound(), st.since());
        }
    }
}
