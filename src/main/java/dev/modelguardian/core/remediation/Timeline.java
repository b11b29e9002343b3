package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When the current remediation entered each state, and who approved it: what {@code status} derives the duration of
 * each step from ({@link StepDurations}). Kept in the target's record from the moment the target fires, handed to the
 * history entry when the remediation ends. Persisted in the state ConfigMap; a record written before timelines
 * existed reads as {@link #EMPTY}.
 *
 * @param marks    the states entered, oldest first, at most {@value #MAX_MARKS}
 * @param approval who let the remediation start, once retraining was decided
 */
public record Timeline(List<Mark> marks, Optional<Approval> approval) {

    public static final Timeline EMPTY = new Timeline(List.of(), Optional.empty());

    /** More than one remediation's worth of states: a target flapping within one episode cannot grow the record. */
    static final int MAX_MARKS = 24;

    /** The approver of a remediation that started without asking anyone. */
    public static final String AUTO = "auto (no approval required)";
    /** The approver of a remediation that adopted a Job of the CronJob already running: nobody was asked. */
    public static final String ADOPTED = "auto (adopted a Job already running; no approval asked)";
    /** The approver of a remediation approved by a version that did not record who approved. */
    public static final String UNRECORDED = "by hand (approver not recorded)";

    public Timeline {
        marks = marks == null ? List.of() : List.copyOf(marks);
        approval = approval == null ? Optional.empty() : approval;
    }

    /** One state entered. */
    public record Mark(RemediationState state, Instant at) {
    }

    /**
     * Who approved, and when.
     *
     * @param by e.g. {@code api-token} (the HTTP API's bearer token), or {@link #AUTO}
     * @param at when the approval was persisted (for AUTO: when retraining was decided)
     */
    public record Approval(String by, Instant at) {
    }

    /**
     * The timeline after the target moved from {@code from} to {@code to} (a state change): a new firing starts a new
     * timeline, HEALTHY or PENDING ends it, retraining records who approved, anything else is appended.
     */
    public Timeline entered(TargetState from, TargetState to) {
        RemediationState next = to.state();
        return switch (next) {
            case HEALTHY, PENDING -> EMPTY;
            // A remediation that ends back in FIRING (no Job created, a dry run) goes through afterEnd, not here.
            case FIRING -> new Timeline(List.of(new Mark(next, to.since())), Optional.empty());
            case RETRAINING -> {
                Timeline appended = append(next, to.since());
                if (appended.approval.isPresent()) {
                    yield appended;
                }
                String by = from.state() == RemediationState.AWAITING_APPROVAL ? UNRECORDED
                        : to.jobCreated() ? ADOPTED : AUTO;
                yield new Timeline(appended.marks, Optional.of(new Approval(by, to.since())));
            }
            case AWAITING_APPROVAL, VALIDATING, PROMOTING, VERIFYING, ROLLING_BACK, ROLLED_BACK ->
                append(next, to.since());
        };
    }

    /** Approved by {@code by} at {@code at}. */
    public Timeline approvedBy(String by, Instant at) {
        return new Timeline(marks, Optional.of(new Approval(by, at)));
    }

    /** The timeline of a remediation that ended in {@code state} at {@code at}, for its history entry. */
    public Timeline endedIn(RemediationState state, Instant at) {
        return append(state, at);
    }

    /**
     * What is left for the target after a remediation ended in {@code state}: a target back to FIRING (the Job could
     * not be created, a dry run) keeps the moment it began firing; anything else starts afresh.
     */
    public Timeline afterEnd(RemediationState state, Instant at) {
        if (state != RemediationState.FIRING) {
            return EMPTY;
        }
        Mark firing = marks.stream().filter(m -> m.state() == RemediationState.FIRING).findFirst()
                .orElse(new Mark(RemediationState.FIRING, at));
        return new Timeline(List.of(firing), Optional.empty());
    }

    /** The approver, if the remediation got that far. */
    public Optional<String> approvedBy() {
        return approval.map(Approval::by);
    }

    private Timeline append(RemediationState state, Instant at) {
        List<Mark> next = new ArrayList<>(marks);
        next.add(new Mark(state, at));
        while (next.size() > MAX_MARKS) {
            next.removeFirst();
        }
        return new Timeline(next, approval);
    }
}
