package dev.modelguardian.core.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.Trainer;

/**
 * One milestone of one training target, with everything a message needs; the channels render it. Holds no secret.
 *
 * @param milestone     what happened
 * @param at            when the step was persisted
 * @param namespace     the guardian's namespace
 * @param target        the training target
 * @param trainer       what trains it (a CronJob, a WorkflowTemplate, ...)
 * @param models        the models it trains
 * @param from          the state before the step
 * @param to            the state after it
 * @param remediationId the remediation the step belongs to, if any
 * @param job           the training Job, if any
 * @param trigger       what fired, with values and bounds
 * @param requestedBy   who asked for the remediation by hand, when someone did
 * @param action        what the guardian did or does next, in a sentence
 * @param reason        the persisted reason of the step, with the numbers
 * @param outcome       how the remediation ended, when it ended in this step ({@code rolled_back}, ...)
 * @param took          how long the remediation took, when it ended in this step
 * @param rollbackHint  for a rollback: what makes it permanent (the Helm values key)
 * @param incidentKey   the incident this milestone belongs to (PagerDuty's {@code dedup_key})
 * @param resolves      incidents this milestone ends (on {@link Milestone#RECOVERED})
 * @param trainingLog   the failed training run's last log lines, on {@link Milestone#FAILED} and
 *                      {@link Milestone#ROLLED_BACK} when they were kept
 * @param postmortem    the post-mortem draft of the remediation that ended in this step, if one did
 */
public record Notification(Milestone milestone, Instant at, String namespace, String target, Trainer trainer,
        List<String> models, RemediationState from, RemediationState to, Optional<String> remediationId,
        Optional<String> job, List<TargetHealth.FiredSignal> trigger, Optional<String> requestedBy, String action, String reason,
        Optional<String> outcome, Optional<Duration> took, Optional<String> rollbackHint, String incidentKey,
        List<String> resolves, Optional<LogTail> trainingLog, Optional<Draft> postmortem) {

    public Notification {
        trainingLog = trainingLog == null ? Optional.empty() : trainingLog;
        postmortem = postmortem == null ? Optional.empty() : postmortem;
        models = List.copyOf(models);
        trigger = List.copyOf(trigger);
        resolves = List.copyOf(resolves);
    }

    /**
     * The post-mortem draft of a remediation that ended (core/postmortem renders it).
     *
     * @param summary  its one-line summary, with the outcome and the time from the first breach
     * @param markdown the whole draft
     * @param command  the command that writes it again with the signals over the window
     */
    public record Draft(String summary, String markdown, String command) {
    }

    /** One line for headlines and the plain-text fallback, e.g. {@code orchestrator-...: rolled back}. */
    public String headline() {
        return target + ": " + milestone.title();
    }

    /** The trigger as text: who requested it, if someone did, and {@code model/signal value (bound)}, comma-separated. */
    public String triggerText() {
        return dev.modelguardian.core.remediation.RemediationEngine.summary(trigger, requestedBy);
    }

    /** Whether there is a trigger to show: a signal fired, or someone asked. */
    public boolean hasTrigger() {
        return !trigger.isEmpty() || requestedBy.isPresent();
    }
}
