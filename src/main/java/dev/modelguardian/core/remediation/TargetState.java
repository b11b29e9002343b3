package dev.modelguardian.core.remediation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What is persisted about one training target, and all the decider needs to know of the past.
 *
 * @param state         where the target stands
 * @param since         when it entered that state
 * @param remediationId the current remediation, from the moment retraining is decided
 * @param jobName       the training Job of the current remediation (created or adopted)
 * @param jobCreated    whether the Job is known to exist (false between "persisted" and "created")
 * @param trigger       what fired, with values and bounds
 * @param approved      whether a human approved the current remediation
 * @param recentStarts  when recent remediations started (for the daily cap), oldest first
 * @param lastFinished  when the last remediation ended (for the cooldown)
 * @param requestedBy   who asked for the current remediation by hand ({@code remediate --force}, the HTTP API);
 *                      empty when the signals started it. A requested remediation is not dropped when the signals are
 *                      healthy while it waits for approval, and it is verified on the signals like any other: a
 *                      request is not a signal, so there is nothing of it to clear.
 */
public record TargetState(RemediationState state, Instant since, Optional<String> remediationId,
        Optional<String> jobName, boolean jobCreated, List<TargetHealth.FiredSignal> trigger, boolean approved,
        List<Instant> recentStarts, Optional<Instant> lastFinished, Optional<String> requestedBy) {

    public TargetState {
        trigger = trigger == null ? List.of() : List.copyOf(trigger);
        recentStarts = recentStarts == null ? List.of() : List.copyOf(recentStarts);
        // Absent in records written before requests were kept.
        requestedBy = requestedBy == null ? Optional.empty() : requestedBy;
    }

    /** A state that no human requested. */
    public TargetState(RemediationState state, Instant since, Optional<String> remediationId,
            Optional<String> jobName, boolean jobCreated, List<TargetHealth.FiredSignal> trigger, boolean approved,
            List<Instant> recentStarts, Optional<Instant> lastFinished) {
        this(state, since, remediationId, jobName, jobCreated, trigger, approved, recentStarts, lastFinished,
                Optional.empty());
    }

    public static TargetState healthy(Instant since) {
        return new TargetState(RemediationState.HEALTHY, since, Optional.empty(), Optional.empty(), false, List.of(),
                false, List.of(), Optional.empty());
    }

    /** The same record in another state, entered at {@code at}. */
    public TargetState moveTo(RemediationState next, Instant at) {
        return new TargetState(next, at, remediationId, jobName, jobCreated, trigger, approved, recentStarts,
                lastFinished, requestedBy);
    }

    /** Remediations started within {@code window} before {@code now}. */
    public long startedWithin(Duration window, Instant now) {
        Instant from = now.minus(window);
        return recentStarts.stream().filter(t -> t.isAfter(from)).count();
    }
}
