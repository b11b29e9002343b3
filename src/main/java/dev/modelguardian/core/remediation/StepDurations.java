package dev.modelguardian.core.remediation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How long each step of a remediation took, derived from its {@link Timeline}: pure, no clock of its own. A step lasts
 * from the mark of its state to the next mark; the last step of a remediation under way lasts until {@code now} and
 * is {@code ongoing}.
 *
 * <p>Steps: {@code firing -> retraining started} (from firing to the decision to retrain, the wait for approval
 * included), {@code awaiting approval}, {@code Job running}, {@code validation}, {@code promotion},
 * {@code verification}, {@code rollback}. A firing that did not lead to retraining (a dry run) is {@code firing}; one
 * still waiting for a guard or an approval is an ongoing {@code firing -> retraining started}.
 */
public final class StepDurations {

    public static final String FIRING_TO_RETRAINING = "firing -> retraining started";
    /** The step of the training run, from RETRAINING to the next state. */
    public static final String JOB_RUNNING = "Job running";
    /** The step of a target in VALIDATING. */
    public static final String VALIDATION = "validation";
    /** The step of a target in ROLLING_BACK. */
    public static final String ROLLBACK = "rollback";

    private StepDurations() {
    }

    /**
     * One step.
     *
     * @param step    what, e.g. {@code Job running}
     * @param from    when it began
     * @param to      when it ended, or {@code now} when ongoing
     * @param seconds how long, in whole seconds
     * @param ongoing whether the step is still under way
     */
    public record Step(String step, Instant from, Instant to, long seconds, boolean ongoing) {

        static Step of(String step, Instant from, Instant to, boolean ongoing) {
            return new Step(step, from, to, Math.max(0, Duration.between(from, to).toSeconds()), ongoing);
        }

        public Duration took() {
            return Duration.ofSeconds(seconds);
        }
    }

    /** The steps of a finished remediation (its timeline ends with the state it ended in). */
    public static List<Step> finished(Timeline timeline) {
        return of(timeline, Optional.empty());
    }

    /** The steps of the remediation under way, the current one lasting until {@code now}. */
    public static List<Step> current(Timeline timeline, Instant now) {
        return of(timeline, Optional.of(now));
    }

    private static List<Step> of(Timeline timeline, Optional<Instant> now) {
        List<Timeline.Mark> marks = timeline.marks();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < marks.size(); i++) {
            Timeline.Mark mark = marks.get(i);
            boolean last = i == marks.size() - 1;
            if (last && now.isEmpty()) {
                break;
            }
            Instant end = last ? now.get() : marks.get(i + 1).at();
            Optional<String> name = name(mark.state());
            if (mark.state() == RemediationState.FIRING) {
                Optional<Timeline.Mark> retraining = retrainingAfter(marks, i);
                if (retraining.isPresent()) {
                    steps.add(Step.of(FIRING_TO_RETRAINING, mark.at(), retraining.get().at(), false));
                } else if (now.isPresent() && waitingAfter(marks, i)) {
                    steps.add(Step.of(FIRING_TO_RETRAINING, mark.at(), now.get(), true));
                } else {
                    steps.add(Step.of("firing", mark.at(), end, false));
                }
            } else if (name.isPresent()) {
                steps.add(Step.of(name.get(), mark.at(), end, last));
            }
        }
        return List.copyOf(steps);
    }

    /** The RETRAINING mark this firing led to, if the marks after it lead there (through an approval at most). */
    private static Optional<Timeline.Mark> retrainingAfter(List<Timeline.Mark> marks, int firing) {
        for (int j = firing + 1; j < marks.size(); j++) {
            RemediationState state = marks.get(j).state();
            if (state == RemediationState.RETRAINING) {
                return Optional.of(marks.get(j));
            }
            if (state != RemediationState.AWAITING_APPROVAL) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether nothing but a wait for approval came after this firing: retraining is still to start. */
    private static boolean waitingAfter(List<Timeline.Mark> marks, int firing) {
        return marks.subList(firing + 1, marks.size()).stream()
                .allMatch(m -> m.state() == RemediationState.AWAITING_APPROVAL);
    }

    private static Optional<String> name(RemediationState state) {
        return switch (state) {
            case AWAITING_APPROVAL -> Optional.of("awaiting approval");
            case RETRAINING -> Optional.of(JOB_RUNNING);
            case VALIDATING -> Optional.of(VALIDATION);
            case PROMOTING -> Optional.of("promotion");
            case VERIFYING -> Optional.of("verification");
            case ROLLING_BACK -> Optional.of(ROLLBACK);
            // Where a remediation ends, not a step of it (FIRING is named above).
            case HEALTHY, PENDING, FIRING, ROLLED_BACK -> Optional.empty();
        };
    }

    /** One line: {@code firing -> retraining started 4m, Job running 25m (ongoing)}; "-" when there is none. */
    public static String summary(List<Step> steps) {
        if (steps.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        for (Step s : steps) {
            parts.add(s.step() + " " + dev.modelguardian.core.policy.Durations.format(s.took())
                    + (s.ongoing() ? " (ongoing)" : ""));
        }
        return String.join(", ", parts);
    }
}
