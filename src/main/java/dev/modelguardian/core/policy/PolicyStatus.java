package dev.modelguardian.core.policy;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Where a policy stands after an evaluation, with everything the next evaluation needs.
 *
 * @param state                   the current state
 * @param since                   when the current state began (for PENDING: when the breach began)
 * @param breachSince             start of the current uninterrupted breach, while PENDING or FIRING
 * @param firingSince             when the policy began firing; kept through an inconclusive gap
 * @param value                   the last reduced value, empty when the last observation had none
 * @param series                  how many series the last read returned
 * @param consecutiveSourceErrors source errors in a row (reset by any answer from the source)
 * @param reason                  why the policy is inconclusive, when it is
 */
public record PolicyStatus(PolicyState state, Instant since, Optional<Instant> breachSince,
        Optional<Instant> firingSince, OptionalDouble value, int series, int consecutiveSourceErrors,
        Optional<String> reason) {

    /** Before the first observation nothing is known. */
    public static PolicyStatus unknown(Instant now) {
        return new PolicyStatus(PolicyState.INCONCLUSIVE, now, Optional.empty(), Optional.empty(),
                OptionalDouble.empty(), 0, 0, Optional.of("not evaluated yet"));
    }
}
