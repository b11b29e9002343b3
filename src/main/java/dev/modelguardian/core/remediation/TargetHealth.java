package dev.modelguardian.core.remediation;

import java.util.List;

import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.PolicyState;

/**
 * The health of a training target, from the policies of every model it trains: firing if any fires, else pending if
 * any is pending, else inconclusive if any is inconclusive, else healthy. Two models firing at once are one
 * firing target, hence one remediation.
 *
 * @param state  the aggregated state
 * @param firing the signals that fire, with their values and bounds (the trigger of a remediation)
 */
public record TargetHealth(PolicyState state, List<FiredSignal> firing) {

    /** One firing signal as a remediation records it. */
    public record FiredSignal(String model, String signal, double value, String bound) {
    }

    public static TargetHealth of(List<Evaluation> evaluations) {
        List<FiredSignal> firing = evaluations.stream()
                .filter(e -> e.status().state() == PolicyState.FIRING)
                .map(e -> new FiredSignal(e.policy().model(), e.policy().signal(),
                        e.status().value().orElse(Double.NaN), e.policy().describeBound()))
                .toList();
        PolicyState state = !firing.isEmpty() ? PolicyState.FIRING
                : any(evaluations, PolicyState.PENDING) ? PolicyState.PENDING
                        : any(evaluations, PolicyState.INCONCLUSIVE) || evaluations.isEmpty() ? PolicyState.INCONCLUSIVE
                                : PolicyState.HEALTHY;
        return new TargetHealth(state, firing);
    }

    /** This health with a request by hand standing in for a firing signal: firing, on the signals that really fire. */
    public TargetHealth requested() {
        return new TargetHealth(PolicyState.FIRING, firing);
    }

    private static boolean any(List<Evaluation> evaluations, PolicyState state) {
        return evaluations.stream().anyMatch(e -> e.status().state() == state);
    }
}
