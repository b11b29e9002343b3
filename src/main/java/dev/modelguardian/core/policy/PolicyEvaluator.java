package dev.modelguardian.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.TimedObservation;

/**
 * The pure decision of one policy: (previous status, observation, policy, clock) to the next status. No I/O, no
 * hidden state; see {@link PolicyState} for the transitions.
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    public static PolicyStatus evaluate(Policy policy, PolicyStatus previous, Observation observation, Instant now) {
        return switch (observation) {
            case Observation.Value v when Double.isNaN(v.value()) ->
                inconclusive(previous, now, "NaN", v.series(), 0);
            case Observation.Value v when Double.isInfinite(v.value()) ->
                inconclusive(previous, now, "infinite value (" + Bound.format(v.value()) + ")", v.series(), 0);
            case Observation.Value v -> onValue(policy, previous, v.value(), v.series(), now);
            case Observation.NoData ignored -> switch (policy.noData()) {
                case INCONCLUSIVE -> inconclusive(previous, now, "no data", 0, 0);
                case HEALTHY -> healthy(previous, OptionalDouble.empty(), 0, now);
                case BREACH -> breaching(policy, previous, OptionalDouble.empty(), 0, now);
            };
            case Observation.SourceError e -> inconclusive(previous, now, "source error: " + e.message(), 0,
                    previous.consecutiveSourceErrors() + 1);
        };
    }

    /** Folds a history of observations, oldest first, into the status at the last one (used for backfill). */
    public static PolicyStatus replay(Policy policy, PolicyStatus start, Iterable<TimedObservation> history) {
        PolicyStatus status = start;
        for (TimedObservation point : history) {
            status = evaluate(policy, status, point.observation(), point.at());
        }
        return status;
    }

    private static PolicyStatus onValue(Policy policy, PolicyStatus previous, double value, int series, Instant now) {
        OptionalDouble v = OptionalDouble.of(value);
        if (policy.bound().breached(value)) {
            return breaching(policy, previous, v, series, now);
        }
        if (previous.firingSince().isPresent() && !policy.bound().cleared(value)) {
            Instant firingSince = previous.firingSince().get();
            return new PolicyStatus(PolicyState.FIRING, firingSince, previous.breachSince().or(() -> Optional.of(firingSince)),
                    previous.firingSince(), v, series, 0, Optional.empty());
        }
        return healthy(previous, v, series, now);
    }

    private static PolicyStatus breaching(Policy policy, PolicyStatus previous, OptionalDouble value, int series,
            Instant now) {
        if (previous.firingSince().isPresent()) {
            Instant firingSince = previous.firingSince().get();
            return new PolicyStatus(PolicyState.FIRING, firingSince,
                    previous.breachSince().or(() -> Optional.of(firingSince)), previous.firingSince(), value, series,
                    0, Optional.empty());
        }
        Instant breachSince = previous.state() == PolicyState.PENDING && previous.breachSince().isPresent()
                ? previous.breachSince().get()
                : now;
        Duration held = Duration.between(breachSince, now);
        if (held.compareTo(policy.forDuration()) >= 0) {
            return new PolicyStatus(PolicyState.FIRING, now, Optional.of(breachSince), Optional.of(now), value,
                    series, 0, Optional.empty());
        }
        return new PolicyStatus(PolicyState.PENDING, breachSince, Optional.of(breachSince), Optional.empty(), value,
                series, 0, Optional.empty());
    }

    private static PolicyStatus healthy(PolicyStatus previous, OptionalDouble value, int series, Instant now) {
        Instant since = previous.state() == PolicyState.HEALTHY ? previous.since() : now;
        return new PolicyStatus(PolicyState.HEALTHY, since, Optional.empty(), Optional.empty(), value, series, 0,
                Optional.empty());
    }

    private static PolicyStatus inconclusive(PolicyStatus previous, Instant now, String reason, int series,
            int sourceErrors) {
        Instant since = previous.state() == PolicyState.INCONCLUSIVE ? previous.since() : now;
        return new PolicyStatus(PolicyState.INCONCLUSIVE, since, Optional.empty(), previous.firingSince(),
                OptionalDouble.empty(), series, sourceErrors, Optional.of(reason));
    }
}
