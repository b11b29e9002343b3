package dev.modelguardian.core.remediation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.policy.PolicyState;

/**
 * The pure decisions of the registry step, from a finished training Job to a verified promotion or a completed
 * rollback: (persisted record, what the registry and the signals show, the target's {@link RecoverySpec}, clock) to
 * the next {@link Decision}. Actions are planned from persisted state only, and the first one not yet done is
 * returned, so a crash between two actions resumes with the next one.
 */
public final class RecoveryDecider {

    private RecoveryDecider() {
    }

    /** RETRAINING with no snapshot for the current remediation: it must be taken before the Job is created. */
    public static boolean needsSnapshot(TargetRecord record) {
        TargetState s = record.current();
        return s.state() == RemediationState.RETRAINING && s.remediationId().isPresent()
                && !record.progress().hasSnapshotFor(s.remediationId().get());
    }

    /** A training failure with {@code on-training-failure: notify-only} ends the remediation instead of rolling back. */
    public static Decision afterTraining(Decision decision, RecoverySpec spec) {
        if (!spec.rollbackOnTrainingFailure() && decision instanceof Decision.MoveTo m
                && m.to() == RemediationState.ROLLING_BACK) {
            return new Decision.EndRemediation(Reason.TRAINING_FAILED_NOTIFY_ONLY, HistoryEntry.Outcome.FAILED,
                    m.detail() + "; on-training-failure is notify-only, so nothing is rolled back");
        }
        return decision;
    }

    /**
     * VALIDATING: the verdict on the run's candidates. Without a registry the training Job's own gate is trusted.
     * An unreadable registry or a version still registering is waited for up to {@link RecoverySpec#registryWait()};
     * then, as for a registry that answers "no", the remediation rolls back. Nothing is ever promoted on missing data.
     */
    public static Decision validating(TargetRecord record, RecoverySpec spec, RegistryObservation observed,
            Instant now) {
        TargetState s = record.current();
        if (spec.models().isEmpty()) {
            return new Decision.EndRemediation(Reason.TRAINING_TRUSTED, HistoryEntry.Outcome.RETRAINED,
                    "training Job " + s.jobName().orElse("?") + " complete; no registry is configured, so the new"
                            + " model versions are not validated by the guardian");
        }
        Optional<Snapshot> snapshot = record.progress().snapshot();
        if (snapshot.isEmpty()) {
            return new Decision.MoveTo(Reason.VALIDATION_IMPOSSIBLE, "no snapshot to validate against");
        }
        Duration waited = Duration.between(s.since(), now);
        Instant giveUp = s.since().plus(spec.registryWait());
        return switch (observed) {
            case RegistryObservation.Unreadable u -> u.retryable() && waited.compareTo(spec.registryWait()) < 0
                    ? new Decision.Stay(Hold.WAITING_FOR_REGISTRY, "registry unreadable (" + u.reason() + "); retrying, rolling back at " + giveUp,
                            Optional.of(giveUp))
                    : new Decision.MoveTo(Reason.VALIDATION_IMPOSSIBLE, "validation impossible: registry unreadable"
                            + (u.retryable() ? " for " + Durations.format(waited.withNanos(0)) : "") + ": "
                            + u.reason());
            case RegistryObservation.Seen seen -> switch (Validator.validate(spec.models(), snapshot.get(), seen,
                    now)) {
                case Validator.Outcome.Wait w -> waited.compareTo(spec.registryWait()) < 0
                        ? new Decision.Stay(Hold.WAITING_FOR_REGISTRY, w.reason() + "; waiting until " + giveUp,
                                Optional.of(giveUp))
                        : new Decision.MoveTo(Reason.VALIDATION_IMPOSSIBLE, "validation impossible: " + w.reason()
                                + " after " + Durations.format(waited.withNanos(0)));
                case Validator.Outcome.Decided d -> new Decision.Validated(d.verdict(),
                        d.verdict().passed() ? Reason.VALIDATION_PASSED : Reason.VALIDATION_FAILED,
                        (d.verdict().passed() ? "validation passed: " : "validation failed: ")
                                + d.verdict().summary());
            };
        };
    }

    /** PROMOTING: each passing candidate to serving, then the restart; then VERIFYING. */
    public static Decision promoting(TargetRecord record, RecoverySpec spec) {
        List<Action> plan = promotionPlan(record, spec);
        return next(record, plan).<Decision>map(Decision.Act::new).orElseGet(() -> new Decision.MoveTo(
                Reason.PROMOTED, "promoted " + summary(plan) + "; verifying the live signals for "
                        + Durations.format(spec.verifyWindow())));
    }

    static List<Action> promotionPlan(TargetRecord record, RecoverySpec spec) {
        List<Action> plan = new ArrayList<>();
        record.progress().verdict().ifPresent(v -> v.models().stream()
                .filter(m -> m.passed() && m.candidate().isPresent() && spec.models().containsKey(m.model()))
                .forEach(m -> plan.add(new Action.Promote(spec.models().get(m.model()).registry(),
                        m.candidate().get()))));
        spec.restartTarget().ifPresent(d -> plan.add(new Action.Restart(d, record.current().since())));
        return plan;
    }

    /**
     * VERIFYING: the promoted version gets the verify window to bring the signals that triggered the remediation back
     * within bounds, since live metrics computed over recent traffic lag behind a restart. A signal firing that was
     * not part of the trigger is a new breach and rolls back at once; a remediation requested by hand has no
     * triggering signal beyond those that fired when it was asked for, so every other signal of its models counts. When the window is over, a target still pending
     * or firing rolls back, and a healthy one ends the remediation (after putting back flags an earlier rollback
     * changed, when {@code reenable-after-recovery} is set). Inconclusive signals neither pass nor fail verification.
     */
    public static Decision verifying(TargetRecord record, RecoverySpec spec, TargetHealth health, Instant now) {
        TargetState s = record.current();
        Set<String> triggered = s.trigger().stream().map(f -> f.model() + "/" + f.signal())
                .collect(Collectors.toSet());
        List<TargetHealth.FiredSignal> fresh = health.firing().stream()
                .filter(f -> !triggered.contains(f.model() + "/" + f.signal())).toList();
        if (!fresh.isEmpty()) {
            return new Decision.MoveTo(Reason.NEW_BREACH, "new breach while verifying: "
                    + RemediationEngine.summary(fresh));
        }
        boolean breaching = health.state() == PolicyState.PENDING || health.state() == PolicyState.FIRING;
        Instant end = s.since().plus(spec.verifyWindow());
        if (now.isBefore(end)) {
            return new Decision.Stay(Hold.VERIFYING, "verifying until " + end + ", " + Durations.format(Duration.between(now, end)
                    .withNanos(0)) + " left" + (breaching ? "; waiting for "
                    + (health.firing().isEmpty() ? "a pending policy" : RemediationEngine.summary(health.firing()))
                    + " to clear" : ""), Optional.of(end));
        }
        if (breaching) {
            return new Decision.MoveTo(Reason.STILL_BREACHING, "still breaching after the "
                    + Durations.format(spec.verifyWindow()) + " verify window: " + (health.firing().isEmpty()
                            ? "a policy is pending" : RemediationEngine.summary(health.firing())));
        }
        if (health.state() != PolicyState.HEALTHY) {
            return new Decision.Stay(Hold.VERIFYING_INCONCLUSIVE, "verification window over, signals inconclusive: waiting for a conclusive cycle");
        }
        List<Action> plan = recoveryPlan(record, spec);
        Optional<Action> next = next(record, plan);
        if (next.isPresent()) {
            return new Decision.Act(next.get());
        }
        return new Decision.EndRemediation(Reason.VERIFIED, HistoryEntry.Outcome.PROMOTED,
                "verified: every signal within bounds for " + Durations.format(spec.verifyWindow())
                        + (plan.isEmpty() ? "" : "; " + summary(plan)));
    }

    static List<Action> recoveryPlan(TargetRecord record, RecoverySpec spec) {
        List<Action> plan = new ArrayList<>();
        if (spec.reenableAfterRecovery() && !record.flagsToRestore().isEmpty() && spec.configMap().isPresent()) {
            Map<String, Optional<String>> now = new TreeMap<>();
            record.flagsToRestore().keySet().forEach(k -> now.put(k, Optional.ofNullable(spec.keys().get(k))
                    .map(RecoverySpec.FlagKey::value)));
            plan.add(new Action.SetKeys(spec.configMap().get(), record.flagsToRestore(), now));
            spec.restartTarget().ifPresent(d -> plan.add(new Action.Restart(d, record.current().since())));
        }
        return plan;
    }

    /** ROLLING_BACK: flags off, each model's snapshot version back to serving, the restart; then ROLLED_BACK. */
    public static Decision rollingBack(TargetRecord record, RecoverySpec spec) {
        List<Action> plan = rollbackPlan(record, spec);
        Optional<Action> next = next(record, plan);
        if (next.isPresent()) {
            return new Decision.Act(next.get());
        }
        String done = record.progress().actions().isEmpty() ? "nothing to restore (no flag, registry or restart"
                + " configured)" : String.join("; ", record.progress().actions());
        return new Decision.EndRemediation(Reason.ROLLED_BACK, HistoryEntry.Outcome.ROLLED_BACK,
                record.progress().cause().map(c -> c + "; ").orElse("") + "rolled back: " + done + permanentHint(spec).map(h -> ". " + h).orElse("")
                        + ". Waiting for a human (remediate --force) or a later good training");
    }

    /** The rollback's actions, in order; also what {@code rollback --dry-run} prints. */
    public static List<Action> rollbackPlan(TargetRecord record, RecoverySpec spec) {
        List<Action> plan = new ArrayList<>();
        Optional<Snapshot> snapshot = record.progress().snapshot();
        if (spec.configMap().isPresent() && !spec.keys().isEmpty()) {
            Map<String, Optional<String>> values = new TreeMap<>();
            spec.keys().forEach((k, v) -> values.put(k, Optional.of(v.value())));
            Map<String, Optional<String>> previous = new TreeMap<>();
            spec.keys().keySet().forEach(k -> previous.put(k, snapshot.map(sn -> sn.values().get(k))
                    .flatMap(v -> v)));
            plan.add(new Action.SetKeys(spec.configMap().get(), values, previous));
        }
        snapshot.ifPresent(sn -> new TreeMap<>(sn.models()).forEach((model, serving) -> {
            RecoverySpec.ModelCheck check = spec.models().get(model);
            if (check != null) {
                plan.add(new Action.Promote(check.registry(), serving.version()));
            }
        }));
        spec.restartTarget().ifPresent(d -> plan.add(new Action.Restart(d, record.current().since())));
        return plan;
    }

    /** How to make the rollback's flag values survive the next Helm upgrade, when the target says. */
    public static Optional<String> permanentHint(RecoverySpec spec) {
        List<String> hints = spec.keys().values().stream().flatMap(k -> k.permanent().stream()).sorted().toList();
        if (hints.isEmpty() || spec.configMap().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("ConfigMap " + spec.configMap().get() + " was patched directly and the next helm upgrade"
                + " re-renders it; to make this permanent set " + String.join(", ", hints) + " in the Helm values");
    }

    private static Optional<Action> next(TargetRecord record, List<Action> plan) {
        return plan.stream().filter(a -> !record.progress().done().contains(a.key())).findFirst();
    }

    private static String summary(List<Action> plan) {
        return plan.isEmpty() ? "nothing" : String.join("; ", plan.stream().map(Action::describe).toList());
    }
}
