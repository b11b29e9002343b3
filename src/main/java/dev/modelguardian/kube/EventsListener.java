package dev.modelguardian.kube;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.remediation.Decision;
import dev.modelguardian.remediation.HistoryEntry;
import dev.modelguardian.remediation.RemediationEngine;
import dev.modelguardian.remediation.RemediationListener;
import dev.modelguardian.remediation.RemediationState;
import dev.modelguardian.remediation.SignalAlerts;
import dev.modelguardian.remediation.TargetRecord;
import dev.modelguardian.remediation.TargetSpec;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;

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
    private final Map<String, String> blocked = new ConcurrentHashMap<>();

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
    public void stayed(TargetSpec target, TargetRecord record, String reason) {
        String guard = reason.startsWith("cooldown") ? "cooldown" : reason.startsWith("daily cap") ? "daily cap" : null;
        if (guard == null) {
            blocked.remove(target.name());
            return;
        }
        if (!guard.equals(blocked.put(target.name(), guard))) {
            recorder.record(cronJob(target), EventReason.GUARD_BLOCKED, target.name() + ": firing, but " + reason);
        }
    }

    @Override
    public void signalAlert(TargetSpec target, String note) {
        recorder.record(cronJob(target), EventReason.SOURCE_ERRORS, note);
    }

    @Override
    public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
        recorder.record(cronJob(target), EventReason.ACTION_FAILED, target.name() + ": cannot " + action + ": "
                + message);
    }

    /** The catalogue's reason for a step; empty for a step that is not worth an Event. */
    static Optional<EventReason> reason(Step step) {
        RemediationState from = step.before().current().state();
        RemediationState to = step.after().current().state();
        return switch (step.decision()) {
            case Decision.StartRetraining s -> Optional.of(EventReason.REMEDIATION_STARTED);
            case Decision.AdoptJob a -> Optional.of(EventReason.RETRAINING_JOB_ADOPTED);
            case Decision.CreateJob c -> Optional.of(EventReason.RETRAINING_JOB_CREATED);
            case Decision.RecordDryRun d -> Optional.of(EventReason.RETRAINING_DRY_RUN);
            case Decision.Stay s -> s.reason().equals("approved") ? Optional.of(EventReason.APPROVED)
                    : Optional.empty();
            case Decision.EndRemediation e -> switch (e.outcome()) {
                case RETRAINED, PROMOTED -> Optional.of(EventReason.RECOVERED);
                case ROLLED_BACK -> Optional.of(EventReason.ROLLED_BACK);
                case FAILED -> Optional.of(EventReason.RETRAINING_FAILED);
                // ActionFailed already said why the Job could not be created.
                case NOT_STARTED, DRY_RUN -> Optional.empty();
            };
            case Decision.TakeSnapshot t -> Optional.of(EventReason.SNAPSHOT_TAKEN);
            case Decision.Validated v -> EventReason.forTransition(from, to);
            case Decision.Act a -> Optional.of(switch (a.action()) {
                case dev.modelguardian.remediation.Action.SetKeys k -> EventReason.FLAGS_CHANGED;
                case dev.modelguardian.remediation.Action.Promote p -> EventReason.VERSION_PROMOTED;
                case dev.modelguardian.remediation.Action.Restart r -> EventReason.MODEL_SERVER_RESTARTED;
            });
            case Decision.MoveTo m when from == RemediationState.RETRAINING && to == RemediationState.ROLLING_BACK ->
                Optional.of(m.reason().startsWith("unknown outcome") ? EventReason.RETRAINING_JOB_VANISHED
                        : m.reason().contains(" timed out ") ? EventReason.RETRAINING_TIMED_OUT
                                : m.reason().contains(" stuck: ") ? EventReason.RETRAINING_STUCK
                                        : EventReason.RETRAINING_FAILED);
            case Decision.MoveTo m -> EventReason.forTransition(from, to);
        };
    }

    private ObjectReference regarding(Step step, EventReason reason) {
        Optional<String> job = step.after().current().jobName().or(() -> step.before().current().jobName());
        boolean aboutJob = switch (reason) {
            case RETRAINING_JOB_CREATED, RETRAINING_JOB_ADOPTED, RETRAINING_SUCCEEDED, RETRAINING_FAILED,
                    RETRAINING_STUCK, RETRAINING_TIMED_OUT -> true;
            default -> false;
        };
        if (aboutJob && job.isPresent()) {
            return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName(job.get())
                    .withNamespace(namespace).build();
        }
        return cronJob(step.target());
    }

    private ObjectReference cronJob(TargetSpec target) {
        return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob").withName(target.cronJob())
                .withNamespace(namespace).build();
    }

    private static String note(Step step) {
        TargetRecord after = step.after();
        String id = after.current().remediationId()
                .or(() -> after.last().map(HistoryEntry::id)).map(i -> " (remediation " + i + ")").orElse("");
        String trigger = step.decision() instanceof Decision.StartRetraining s
                ? "; trigger: " + RemediationEngine.summary(s.trigger(), after.current().requestedBy())
                : "";
        return step.target().name() + id + ": " + after.reason() + trigger;
    }
}
