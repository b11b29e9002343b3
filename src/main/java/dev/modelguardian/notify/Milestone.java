package dev.modelguardian.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import dev.modelguardian.remediation.HistoryEntry;
import dev.modelguardian.remediation.RemediationListener;
import dev.modelguardian.remediation.RemediationState;
import dev.modelguardian.remediation.TargetRecord;

/**
 * What people are told about. A milestone is read from a persisted step alone, (state before, state after, the
 * outcome of a remediation that ended in the step), never from the decision's type, so a new kind of decision does
 * not change what is notified.
 */
public enum Milestone {
    /** A policy of the target fires (HEALTHY, PENDING or ROLLED_BACK to FIRING). */
    FIRING("a policy fires"),
    /** The retraining Job exists: created from the CronJob, or an already running one adopted. */
    RETRAINING_STARTED("retraining started"),
    /** Every candidate passed validation (VALIDATING to PROMOTING). */
    VALIDATION_PASSED("validation passed"),
    /** A candidate failed validation, or the registry could not be read (VALIDATING to ROLLING_BACK). */
    VALIDATION_FAILED("validation failed"),
    /** The candidates were promoted; live metrics are verified next (PROMOTING to VERIFYING). */
    PROMOTED("promoted"),
    /** A live signal breached during verification (VERIFYING to ROLLING_BACK). */
    VERIFICATION_FAILED("verification failed"),
    /**
     * Training failed, got stuck, timed out or vanished (RETRAINING to ROLLING_BACK), or its Job could not be created
     * at all (the remediation ended {@code not_started}).
     */
    FAILED("training failed"),
    /** The remediation ended rolled back (to ROLLED_BACK). */
    ROLLED_BACK("rolled back"),
    /**
     * A step of a rollback failed (the registry or the API server did not answer) and is retried on every follow-up
     * until it succeeds; told once per rollback. Read from the engine's failed actions, not from a persisted step.
     */
    ROLLBACK_FAILED("rollback step failed"),
    /** The target is healthy again after firing or a remediation (to HEALTHY, not from PENDING). */
    RECOVERED("recovered"),
    /** The target's signals stayed inconclusive longer than {@code guardian.notify.inconclusive-after}. */
    INCONCLUSIVE_TOO_LONG("signals inconclusive too long");

    private final String title;

    Milestone(String title) {
        this.title = title;
    }

    /** The name in configuration and payloads, e.g. {@code rolled-back}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A few words for a headline, e.g. {@code rolled back}. */
    public String title() {
        return title;
    }

    /** The milestone of a configuration name, case-insensitive. */
    public static Optional<Milestone> byConfigName(String name) {
        return Arrays.stream(values()).filter(m -> m.configName().equalsIgnoreCase(name.strip())).findFirst();
    }

    /** Every configuration name, comma-separated, for messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Milestone::configName).toList());
    }

    /** The milestone of one persisted step, if it is one. */
    public static Optional<Milestone> of(RemediationListener.Step step) {
        return of(step.before(), step.after());
    }

    /** The milestone of the step from {@code before} to {@code after}, if it is one. */
    public static Optional<Milestone> of(TargetRecord before, TargetRecord after) {
        RemediationState from = before.current().state();
        RemediationState to = after.current().state();
        Optional<HistoryEntry> ended = ended(before, after);
        if (ended.isPresent()) {
            return switch (ended.get().outcome()) {
                case RETRAINED, PROMOTED -> Optional.of(RECOVERED);
                case ROLLED_BACK -> Optional.of(ROLLED_BACK);
                case NOT_STARTED, FAILED -> Optional.of(FAILED);
                // A dry run changes nothing; its Event is the record of what would have happened.
                case DRY_RUN -> Optional.empty();
            };
        }
        if (to == RemediationState.RETRAINING && after.current().jobCreated()
                && !(from == RemediationState.RETRAINING && before.current().jobCreated())) {
            return Optional.of(RETRAINING_STARTED);
        }
        if (from == to) {
            return Optional.empty();
        }
        return switch (to) {
            case FIRING -> Optional.of(FIRING);
            case HEALTHY -> from == RemediationState.PENDING ? Optional.empty() : Optional.of(RECOVERED);
            case PROMOTING -> from == RemediationState.VALIDATING ? Optional.of(VALIDATION_PASSED) : Optional.empty();
            case VERIFYING -> Optional.of(PROMOTED);
            case ROLLING_BACK -> switch (from) {
                case RETRAINING -> Optional.of(FAILED);
                case VALIDATING -> Optional.of(VALIDATION_FAILED);
                case VERIFYING -> Optional.of(VERIFICATION_FAILED);
                case PROMOTING -> Optional.of(FAILED);
                // A rollback asked for by hand: its end (rolled-back) is the news.
                case HEALTHY, PENDING, FIRING, AWAITING_APPROVAL, ROLLING_BACK, ROLLED_BACK -> Optional.empty();
            };
            case ROLLED_BACK -> Optional.of(ROLLED_BACK);
            case PENDING, AWAITING_APPROVAL, RETRAINING, VALIDATING -> Optional.empty();
        };
    }

    /** The remediation that ended in this step: a history entry {@code after} has and {@code before} had not. */
    static Optional<HistoryEntry> ended(TargetRecord before, TargetRecord after) {
        if (after.history().size() != before.history().size() || !after.last().equals(before.last())) {
            return after.last();
        }
        return Optional.empty();
    }
}
