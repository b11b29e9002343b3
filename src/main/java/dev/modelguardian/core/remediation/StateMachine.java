package dev.modelguardian.core.remediation;

import static dev.modelguardian.core.remediation.RemediationState.AWAITING_APPROVAL;
import static dev.modelguardian.core.remediation.RemediationState.FIRING;
import static dev.modelguardian.core.remediation.RemediationState.HEALTHY;
import static dev.modelguardian.core.remediation.RemediationState.PENDING;
import static dev.modelguardian.core.remediation.RemediationState.PROMOTING;
import static dev.modelguardian.core.remediation.RemediationState.RETRAINING;
import static dev.modelguardian.core.remediation.RemediationState.ROLLED_BACK;
import static dev.modelguardian.core.remediation.RemediationState.ROLLING_BACK;
import static dev.modelguardian.core.remediation.RemediationState.VALIDATING;
import static dev.modelguardian.core.remediation.RemediationState.VERIFYING;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The remediation state machine as data: every edge a target may take, one row per {@link Reason}. The engine
 * checks each step against this table before it persists it, so a step the table does not hold fails loudly instead
 * of being written; {@code docs/architecture.md} shows the table as {@link #render()} prints it.
 */
public final class StateMachine {

    /** One edge: from any of {@code from}, for {@code reason}, to {@code to}. */
    public record Edge(Set<RemediationState> from, Reason reason, RemediationState to) {
        public Edge {
            from = Set.copyOf(from);
        }
    }

    /** Every edge of the machine, in the order a remediation goes through them. */
    public static final List<Edge> EDGES = List.of(
            edge(from(HEALTHY, FIRING), Reason.POLICY_PENDING, PENDING),
            edge(from(HEALTHY, PENDING), Reason.POLICY_FIRING, FIRING),
            edge(from(PENDING), Reason.POLICY_CLEARED, HEALTHY),
            edge(from(FIRING), Reason.POLICY_RECOVERED, HEALTHY),
            edge(from(HEALTHY, PENDING, ROLLED_BACK), Reason.REQUESTED, FIRING),
            edge(from(FIRING), Reason.APPROVAL_REQUIRED, AWAITING_APPROVAL),
            edge(from(AWAITING_APPROVAL), Reason.APPROVED, AWAITING_APPROVAL),
            edge(from(AWAITING_APPROVAL), Reason.RECOVERED_BEFORE_APPROVAL, HEALTHY),
            edge(from(AWAITING_APPROVAL), Reason.REJECTED, FIRING),
            edge(from(FIRING, AWAITING_APPROVAL), Reason.RETRAINING_STARTED, RETRAINING),
            edge(from(FIRING), Reason.JOB_ADOPTED, RETRAINING),
            edge(from(FIRING, AWAITING_APPROVAL), Reason.DRY_RUN, FIRING),
            edge(from(RETRAINING), Reason.SNAPSHOT_TAKEN, RETRAINING),
            edge(from(RETRAINING), Reason.NO_SNAPSHOT, FIRING),
            edge(from(RETRAINING), Reason.JOB_CREATED, RETRAINING),
            edge(from(RETRAINING), Reason.JOB_NOT_CREATED, FIRING),
            edge(from(RETRAINING), Reason.JOB_SUCCEEDED, VALIDATING),
            edge(from(RETRAINING), Reason.JOB_FAILED, ROLLING_BACK),
            edge(from(RETRAINING), Reason.JOB_STUCK, ROLLING_BACK),
            edge(from(RETRAINING), Reason.JOB_TIMED_OUT, ROLLING_BACK),
            edge(from(RETRAINING), Reason.JOB_VANISHED, ROLLING_BACK),
            edge(from(RETRAINING), Reason.TRAINING_FAILED_NOTIFY_ONLY, FIRING),
            edge(from(VALIDATING), Reason.TRAINING_TRUSTED, HEALTHY),
            edge(from(VALIDATING), Reason.VALIDATION_PASSED, PROMOTING),
            edge(from(VALIDATING), Reason.VALIDATION_FAILED, ROLLING_BACK),
            edge(from(VALIDATING), Reason.VALIDATION_IMPOSSIBLE, ROLLING_BACK),
            edge(from(PROMOTING), Reason.PROMOTION_STEP, PROMOTING),
            edge(from(PROMOTING), Reason.PROMOTION_FAILED, ROLLING_BACK),
            edge(from(PROMOTING), Reason.PROMOTED, VERIFYING),
            edge(from(VERIFYING), Reason.NEW_BREACH, ROLLING_BACK),
            edge(from(VERIFYING), Reason.STILL_BREACHING, ROLLING_BACK),
            edge(from(VERIFYING), Reason.RECOVERY_STEP, VERIFYING),
            edge(from(VERIFYING), Reason.VERIFIED, HEALTHY),
            edge(anyBut(ROLLING_BACK), Reason.ROLLBACK_REQUESTED, ROLLING_BACK),
            edge(from(ROLLING_BACK), Reason.ROLLBACK_STEP, ROLLING_BACK),
            edge(from(ROLLING_BACK), Reason.ROLLED_BACK, ROLLED_BACK));

    private static final Map<Reason, Edge> BY_REASON = byReason();

    /**
     * The steps at which a remediation's training run has failed (failed, stuck, timed out, vanished, or any of these
     * with nothing to roll back): the engine reads the run's last log lines once, at that step, and keeps them with
     * the remediation.
     */
    public static final Set<Reason> TRAINING_FAILURES = java.util.Collections.unmodifiableSet(EnumSet.of(
            Reason.JOB_FAILED, Reason.JOB_STUCK, Reason.JOB_TIMED_OUT, Reason.JOB_VANISHED,
            Reason.TRAINING_FAILED_NOTIFY_ONLY));

    private StateMachine() {
    }

    /** The state a step for {@code reason} leads to. */
    public static RemediationState to(Reason reason) {
        return BY_REASON.get(reason).to();
    }

    /** Whether the table has the edge {@code from} --{@code reason}--> {@code to}. */
    public static boolean allows(RemediationState from, Reason reason, RemediationState to) {
        Edge edge = BY_REASON.get(reason);
        return edge.from().contains(from) && edge.to() == to;
    }

    /**
     * Checks a step before it is persisted.
     *
     * @throws IllegalStateException naming the step when the table has no such edge: a bug, never written
     */
    public static void check(String target, RemediationState from, Reason reason, RemediationState to) {
        if (!allows(from, reason, to)) {
            throw new IllegalStateException("target " + target + ": " + from + " --" + reason + "--> " + to
                    + " is no edge of the state machine (StateMachine.EDGES); the step was not persisted");
        }
    }

    /**
     * The reason of a persisted step: carried by the decisions that can lead to more than one state, fixed for the
     * others; an action's depends on the state it is taken in.
     *
     * @throws IllegalStateException for a {@link Decision.Stay}, which is never persisted, and for an action outside
     *                               PROMOTING, VERIFYING and ROLLING_BACK
     */
    public static Reason reasonOf(Decision decision, RemediationState from) {
        return switch (decision) {
            case Decision.MoveTo move -> move.reason();
            case Decision.EndRemediation end -> end.reason();
            case Decision.Validated validated -> validated.reason();
            case Decision.StartRetraining start -> Reason.RETRAINING_STARTED;
            case Decision.AdoptJob adopt -> Reason.JOB_ADOPTED;
            case Decision.CreateJob create -> Reason.JOB_CREATED;
            case Decision.RecordDryRun dry -> Reason.DRY_RUN;
            case Decision.TakeSnapshot take -> Reason.SNAPSHOT_TAKEN;
            case Decision.Act act -> switch (from) {
                case PROMOTING -> Reason.PROMOTION_STEP;
                case VERIFYING -> Reason.RECOVERY_STEP;
                case ROLLING_BACK -> Reason.ROLLBACK_STEP;
                case HEALTHY, PENDING, FIRING, AWAITING_APPROVAL, RETRAINING, VALIDATING, ROLLED_BACK ->
                    throw new IllegalStateException("no action is taken at " + from);
            };
            case Decision.Stay stay -> throw new IllegalStateException("a stay (" + stay.hold() + ") is not a step");
        };
    }

    /** The table as Markdown: one row per edge, from, reason, to. */
    public static String render() {
        StringBuilder table = new StringBuilder("| from | reason | to |\n|---|---|---|\n");
        for (Edge e : EDGES) {
            String from = e.from().size() == RemediationState.values().length - 1
                    && !e.from().contains(e.to()) ? "any other"
                            : Arrays.stream(RemediationState.values()).filter(e.from()::contains)
                                    .map(Enum::name).collect(Collectors.joining(", "));
            table.append("| ").append(from).append(" | ").append(e.reason()).append(" | ").append(e.to())
                    .append(" |\n");
        }
        return table.toString();
    }

    private static Edge edge(Set<RemediationState> from, Reason reason, RemediationState to) {
        return new Edge(from, reason, to);
    }

    private static Set<RemediationState> anyBut(RemediationState state) {
        return EnumSet.complementOf(EnumSet.of(state));
    }

    private static Set<RemediationState> from(RemediationState... states) {
        return EnumSet.copyOf(List.of(states));
    }

    private static Map<Reason, Edge> byReason() {
        Map<Reason, Edge> map = new EnumMap<>(Reason.class);
        for (Edge e : EDGES) {
            if (map.put(e.reason(), e) != null) {
                throw new ExceptionInInitializerError("reason " + e.reason() + " has two rows in StateMachine.EDGES");
            }
        }
        for (Reason r : Reason.values()) {
            if (!map.containsKey(r)) {
                throw new ExceptionInInitializerError("reason " + r + " has no row in StateMachine.EDGES");
            }
        }
        return map;
    }
}
