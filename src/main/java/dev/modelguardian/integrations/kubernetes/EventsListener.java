package dev.modelguardian.integrations.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.core.remediation.Action;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Hold;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.SignalAlerts;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;

/**
 * Turns every persisted step into a Kubernetes Event regarding the training Job (when the step is about it) or the
 * CronJob, with the reason from the {@link EventReason} catalogue and the step's reason as the note. Best effort:
 * {@link EventRecorder} never throws.
 */
@Singleton
public class EventsListener implements RemediationListener, SignalAlerts {

    private final EventRecorder recorder;
    private final String namespace;
    /** The last guard that held each target back, so that a blocked target gets one Event, not one per cycle. */
    private final Map<String, Hold> blocked = new ConcurrentHashMap<>();

    @Inject
    public EventsListener(EventRecorder recorder, GuardianConfig config) {
        this(recorder, Namespace.resolve(config));
    }

    public EventsListener(EventRecorder recorder, String namespace) {
        this.recorder = recorder;
        this.namespace = namespace;
    }

    @Override
    public void stepped(Step step) {
        blocked.remove(step.target().name());
        reason(step).ifPresent(reason -> recorder.record(regarding(step, reason), reason, note(step)));
    }

    @Override
    public void stayed(TargetSpec target, TargetRecord record, Decision.Stay stay) {
        if (stay.hold() != Hold.COOLDOWN && stay.hold() != Hold.DAILY_CAP) {
            blocked.remove(target.name());
            return;
        }
        if (blocked.put(target.name(), stay.hold()) != stay.hold()) {
            recorder.record(source(target), EventReason.GUARD_BLOCKED, target.name() + ": firing, but "
                    + stay.detail());
        }
    }

    @Override
    public void signalAlert(TargetSpec target, String note) {
        recorder.record(source(target), EventReason.SOURCE_ERRORS, note);
    }

    @Override
    public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
        recorder.record(source(target), EventReason.ACTION_FAILED, target.name() + ": cannot " + action + ": "
                + message);
    }

    /** The catalogue's reason for a step; empty for a step that is not worth an Event. */
    static Optional<EventReason> reason(Step step) {
        if (step.decision() instanceof Decision.Act act) {
            return Optional.of(switch (act.action()) {
                case Action.SetKeys k -> EventReason.FLAGS_CHANGED;
                case Action.Promote p -> EventReason.VERSION_PROMOTED;
                case Action.Restart r -> EventReason.MODEL_SERVER_RESTARTED;
            });
        }
        return EventReason.of(step.reason(), step.before().current().state());
    }

    private ObjectReference regarding(Step step, EventReason reason) {
        Optional<String> job = step.after().current().jobName().or(() -> step.before().current().jobName());
        boolean aboutJob = switch (reason) {
            case RETRAINING_JOB_CREATED, RETRAINING_JOB_ADOPTED, RETRAINING_SUCCEEDED, RETRAINING_FAILED,
                    RETRAINING_STUCK, RETRAINING_TIMED_OUT -> true;
            default -> false;
        };
        if (aboutJob && job.isPresent()) {
            Trainer trainer = step.target().trainer();
            return new ObjectReferenceBuilder().withApiVersion(trainer.runApiVersion()).withKind(trainer.runKind())
                    .withName(job.get()).withNamespace(namespace).build();
        }
        return source(step.target());
    }

    /** What the target trains from: its CronJob, its WorkflowTemplate (namespaced) or ClusterWorkflowTemplate. */
    private ObjectReference source(TargetSpec target) {
        Trainer trainer = target.trainer();
        return new ObjectReferenceBuilder().withApiVersion(trainer.apiVersion()).withKind(trainer.kind())
                .withName(trainer.name()).withNamespace(trainer.kind().startsWith("Cluster") ? null : namespace)
                .build();
    }

    private static String note(Step step) {
        TargetRecord after = step.after();
        String id = after.current().remediationId()
                .or(() -> after.last().map(HistoryEntry::id)).map(i -> " (remediation " + i + ")").orElse("");
        String trigger = step.decision() instanceof Decision.StartRetraining s
                ? "; trigger: " + RemediationEngine.summary(s.trigger(), after.current().requestedBy())
                : "";
        String note = step.target().name() + id + ": " + after.reason() + trigger;
        return step.trainingLog().map(log -> withLog(note, log)).orElse(note);
    }

    /**
     * {@code note} and as many of the log's last lines as fit the Event's note limit, under their heading: the
     * newest lines are the ones that say why a run failed.
     */
    static String withLog(String note, LogTail log) {
        String heading = "\n" + log.heading() + (log.lines().isEmpty() ? "" : ":");
        int room = EventRecorder.NOTE_LIMIT_BYTES - (note + heading).getBytes(StandardCharsets.UTF_8).length - 1;
        List<String> lines = room > 0 ? log.lastFitting(room) : List.of();
        return note + heading + (lines.isEmpty() ? "" : "\n" + String.join("\n", lines));
    }
}
