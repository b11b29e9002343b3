package dev.modelguardian.integrations.notify;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.notify.IncidentKeys;
import dev.modelguardian.core.notify.Milestone;
import dev.modelguardian.core.notify.Notification;
import dev.modelguardian.core.notify.PendingNotifications;
import dev.modelguardian.core.postmortem.PostmortemDraft;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Hold;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TargetState;

/**
 * Tells people about remediation milestones on the channels that are on, whichever they are (each built by its
 * integration's provider; the application passes them in, and closes the notifier when it shuts down). A
 * {@link RemediationListener}, so the engine's composite listener hears every persisted step through it like through
 * the Events and the metrics. It only reads the step, builds a {@link Notification} and queues it per channel; the
 * sending happens on each channel's own thread ({@link Delivery}), so a slow or failing endpoint never blocks, slows or
 * fails a remediation. Without a configured channel it does nothing and starts no thread.
 *
 * <p>Signals inconclusive too long are seen from the engine's "stay" answers: the decider keeps a target where it is
 * while its signals are inconclusive, with the hold {@link Hold#INCONCLUSIVE}. How long that has lasted is read
 * from the record ({@link TargetRecord#inconclusiveSince()}, persisted by the engine's cycle), so a restart or a new
 * leader does not start the time again; the incident key is one per target, so it stays the same. Which incident this
 * replica opened is kept in memory: a replica that starts while one is due opens it again (PagerDuty deduplicates on
 * the key; Slack and the webhook get the message a second time).
 */
public class Notifier implements RemediationListener, PendingNotifications, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final String namespace;
    private final Optional<String> rollbackHint;
    private final Duration inconclusiveAfter;
    private final Clock clock;
    private final List<Delivery> deliveries;
    /** The incident key of each target's open inconclusive notification. */
    private final Map<String, String> inconclusiveOpen = new ConcurrentHashMap<>();
    /** The rollback (remediation id) of each target whose failed step has been told, so it is told once. */
    private final Map<String, String> rollbackFailedTold = new ConcurrentHashMap<>();

    /**
     * @param config    the {@code guardian.notify} settings (retries, queue, timeout, the rollback hint)
     * @param namespace the namespace the guardian works in, told in every notification
     * @param channels  the channels that are on, built by their providers; none: the notifier does nothing
     */
    public Notifier(GuardianConfig.Notify config, String namespace, List<Channel> channels, MeterRegistry registry,
            Clock clock) {
        this.namespace = namespace;
        this.rollbackHint = config.rollbackHint().filter(h -> !h.isBlank());
        this.inconclusiveAfter = config.inconclusiveAfter();
        this.clock = clock;
        HttpClient http = channels.isEmpty() ? null : HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.deliveries = channels.stream().map(c -> new Delivery(c, http, config, registry, clock)).toList();
        if (!deliveries.isEmpty()) {
            LOG.infof("Notifications on: %s", String.join(", ", deliveries.stream()
                    .map(d -> d.channel().describe()).toList()));
        }
    }

    /** Whether any channel is on. */
    public boolean enabled() {
        return !deliveries.isEmpty();
    }

    @Override
    public void stepped(Step step) {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            String target = step.target().name();
            if (step.after().current().state() != RemediationState.ROLLING_BACK) {
                rollbackFailedTold.remove(target);
            }
            Optional<Milestone> milestone = Milestone.of(step);
            String openInconclusive = step.after().current().state() == RemediationState.HEALTHY
                    ? inconclusiveOpen.remove(target)
                    : null;
            if (milestone.isPresent()) {
                dispatch(notification(step.target(), step.before(), step.after(), milestone.get(), openInconclusive));
            } else if (openInconclusive != null) {
                dispatch(recovered(step.target(), step.after(), List.of(openInconclusive)));
            }
        } catch (RuntimeException e) {
            LOG.warnf("Notification of target %s skipped: %s", step.target().name(), e.getClass().getSimpleName());
        }
    }

    @Override
    public void stayed(TargetSpec target, TargetRecord record, Decision.Stay stay) {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            Instant now = clock.instant();
            if (stay.hold() == Hold.INCONCLUSIVE) {
                // No time persisted: no cycle saw the signals inconclusive (a follow-up's answer), nothing is due.
                Instant since = record.inconclusiveSince().orElse(now);
                Duration lasted = Duration.between(since, now);
                if (lasted.compareTo(inconclusiveAfter) >= 0 && !inconclusiveOpen.containsKey(target.name())) {
                    String key = IncidentKeys.inconclusive(namespace, target.name());
                    inconclusiveOpen.put(target.name(), key);
                    dispatch(inconclusive(target, record, since, lasted, key));
                }
                return;
            }
            if (record.current().state() == RemediationState.HEALTHY) {
                String open = inconclusiveOpen.remove(target.name());
                if (open != null) {
                    dispatch(recovered(target, record, List.of(open)));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Notification of target %s skipped: %s", target.name(), e.getClass().getSimpleName());
        }
    }

    /**
     * A step of a rollback failed: told once per rollback, since the engine retries it on every follow-up until it
     * succeeds (a registry or API server that stays down would otherwise leave the rollback unfinished unnoticed).
     * A failure outside a rollback is not told here: promotion failures move to a rollback, and the others end or
     * hold the remediation with a milestone of their own.
     */
    @Override
    public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
        if (deliveries.isEmpty() || record.current().state() != RemediationState.ROLLING_BACK) {
            return;
        }
        try {
            String rollback = record.current().remediationId().orElse("-");
            if (rollback.equals(rollbackFailedTold.put(target.name(), rollback))) {
                return;
            }
            TargetState s = record.current();
            dispatch(new Notification(Milestone.ROLLBACK_FAILED, clock.instant(), namespace, target.name(),
                    target.trainer(), target.models(), s.state(), s.state(), s.remediationId(), s.jobName(),
                    s.trigger(), s.requestedBy(), action(Milestone.ROLLBACK_FAILED, target, record, record, s.jobName(),
                            Optional.empty()),
                    "cannot " + action + ": " + message, Optional.empty(), Optional.empty(), Optional.empty(),
                    IncidentKeys.of(namespace, target.name(), record, record), List.of(), Optional.empty(),
                    Optional.empty()));
        } catch (RuntimeException e) {
            LOG.warnf("Notification of target %s skipped: %s", target.name(), e.getClass().getSimpleName());
        }
    }

    private void dispatch(Notification notification) {
        for (Delivery delivery : deliveries) {
            if (delivery.channel().wants(notification)) {
                delivery.offer(delivery.channel().render(notification));
            }
        }
    }

    /** The notification of a step's milestone. */
    Notification notification(TargetSpec target, TargetRecord before, TargetRecord after, Milestone milestone,
            String openInconclusive) {
        Optional<HistoryEntry> ended = Milestone.ended(before, after);
        List<TargetHealth.FiredSignal> trigger = !after.current().trigger().isEmpty() ? after.current().trigger()
                : !before.current().trigger().isEmpty() ? before.current().trigger()
                        : ended.map(HistoryEntry::trigger).orElse(List.of());
        Optional<String> remediationId = after.current().remediationId().or(() -> before.current().remediationId())
                .or(() -> ended.map(HistoryEntry::id));
        Optional<String> job = after.current().jobName().or(() -> before.current().jobName())
                .or(() -> ended.flatMap(HistoryEntry::job));
        Optional<String> requestedBy = after.current().requestedBy().or(() -> before.current().requestedBy())
                .or(() -> ended.flatMap(HistoryEntry::requestedBy));
        List<String> resolves = new ArrayList<>();
        if (milestone == Milestone.RECOVERED) {
            resolves.addAll(IncidentKeys.resolvedBy(namespace, target.name(), before, after));
            if (openInconclusive != null) {
                resolves.add(openInconclusive);
            }
        }
        return new Notification(milestone, clock.instant(), namespace, target.name(), target.trainer(),
                target.models(), before.current().state(), after.current().state(), remediationId, job, trigger,
                requestedBy, action(milestone, target, before, after, job, ended), after.reason(),
                ended.map(e -> e.outcome().tag()),
                ended.map(e -> Duration.between(e.started(), e.ended())),
                milestone == Milestone.ROLLED_BACK ? rollbackHint : Optional.empty(),
                IncidentKeys.of(namespace, target.name(), before, after), resolves,
                milestone == Milestone.FAILED || milestone == Milestone.ROLLED_BACK
                        ? after.progress().trainingLog().or(() -> ended.flatMap(HistoryEntry::trainingLog))
                        : Optional.empty(),
                ended.filter(e -> e.outcome() != HistoryEntry.Outcome.DRY_RUN).map(e -> draft(target, e)));
    }

    /**
     * The post-mortem draft of a remediation that ended: from what the state keeps, without the signals over the
     * window (no notification waits on Prometheus; the draft's command adds them).
     */
    private Notification.Draft draft(TargetSpec target, HistoryEntry ended) {
        PostmortemDraft draft = new PostmortemDraft(namespace, "the guardian's state in " + namespace, target, ended,
                rollbackHint, List.of(), clock.instant());
        return new Notification.Draft(draft.summary(), draft.markdown(), draft.command());
    }

    private Notification inconclusive(TargetSpec target, TargetRecord record, Instant since, Duration lasted,
            String key) {
        RemediationState state = record.current().state();
        return new Notification(Milestone.INCONCLUSIVE_TOO_LONG, clock.instant(), namespace, target.name(),
                target.trainer(), target.models(), state, state, record.current().remediationId(),
                record.current().jobName(), record.current().trigger(), record.current().requestedBy(),
                action(Milestone.INCONCLUSIVE_TOO_LONG, target, record, record, Optional.empty(), Optional.empty()),
                "signals inconclusive (no data, NaN or source errors) since " + since + ", for "
                        + dev.modelguardian.core.policy.Durations.format(lasted.withNanos(0)) + " (limit "
                        + dev.modelguardian.core.policy.Durations.format(inconclusiveAfter) + ")",
                Optional.empty(), Optional.empty(), Optional.empty(), key, List.of(), Optional.empty(),
                Optional.empty());
    }

    private Notification recovered(TargetSpec target, TargetRecord record, List<String> resolves) {
        RemediationState state = record.current().state();
        return new Notification(Milestone.RECOVERED, clock.instant(), namespace, target.name(), target.trainer(),
                target.models(), state, state, Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                "none: the target is healthy", "signals conclusive and healthy again", Optional.empty(),
                Optional.empty(), Optional.empty(), resolves.getFirst(), resolves, Optional.empty(), Optional.empty());
    }

    /** What the guardian did at this milestone, or does next, in one sentence. */
    static String action(Milestone milestone, TargetSpec target, TargetRecord before, TargetRecord after,
            Optional<String> job, Optional<HistoryEntry> ended) {
        String jobName = job.orElse("?");
        return switch (milestone) {
            case FIRING -> "checking the guards (cooldown, daily cap, approval), then retraining from "
                    + target.trainer().source();
            case RETRAINING_STARTED -> before.current().state() == RemediationState.RETRAINING
                    ? "created " + target.trainer().run(jobName) + " from " + target.trainer().source()
                    : "adopted " + target.trainer().run(jobName) + " of " + target.trainer().source()
                            + ", already running; no second " + target.trainer().runKind();
            case VALIDATION_PASSED -> "promoting the validated model versions";
            case PROMOTED -> "promoted; verifying the live signals";
            case VALIDATION_FAILED, VERIFICATION_FAILED -> "rolling back: restoring the previous model versions";
            case FAILED -> ended.isPresent()
                    ? "nothing was changed; the target fires again on a later cycle, within the daily cap"
                    : "rolling back: restoring the previous model versions";
            case ROLLED_BACK -> "rolled back; waiting for a human (remediate --force) or a later good training";
            case RECOVERED -> ended.isPresent() ? "none: remediation over, cooldown started" : "none";
            case ROLLBACK_FAILED -> "retrying that step on every follow-up until the rollback completes; check"
                    + " MLflow and the API server, or finish the rollback by hand";
            case INCONCLUSIVE_TOO_LONG -> "none: inconclusive signals never trigger an action; check the signal"
                    + " sources (Prometheus, the scraped endpoint)";
        };
    }

    /** Whether every channel has sent or given up on everything queued (for tests). */
    boolean idle() {
        return deliveries.stream().allMatch(Delivery::idle);
    }

    /**
     * Waits until every queued notification has been sent or given up, at most {@code max}: a one-shot command
     * ({@code check --remediate}) calls it before it exits, so that what its cycle queued is not lost with the
     * process. Returns how many requests were still unfinished (and are lost), logged when not zero.
     */
    @Override
    public int awaitDelivered(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!idle() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = deliveries.stream().mapToInt(Delivery::unfinished).sum();
        if (left > 0) {
            LOG.warnf("%d notification request(s) still unsent after waiting %s; they are lost when this process"
                    + " exits", left, max);
        }
        return left;
    }

    @Override
    public void close() {
        deliveries.forEach(Delivery::close);
    }
}
