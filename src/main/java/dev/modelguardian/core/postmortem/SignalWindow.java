package dev.modelguardian.core.postmortem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.modelguardian.core.policy.Direction;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.core.signal.TimedObservation;

/**
 * One signal of a target over an incident window, as its source kept it (Prometheus' range query through the
 * {@link MetricSource} port), or why it could not be read: a source that does not answer, or keeps no history (a
 * scrape), marks the signal unavailable and never fails the draft.
 *
 * @param policy      the signal and its bound
 * @param points      its values over the window, oldest first; empty when unavailable
 * @param unavailable why there are no points
 */
public record SignalWindow(Policy policy, List<TimedObservation> points, Optional<String> unavailable) {

    public SignalWindow {
        points = List.copyOf(points);
    }

    /** Reads {@code policy}'s signal from {@code from} to {@code to} from its source in {@code sources}. */
    public static SignalWindow read(Policy policy, MetricSources sources, Instant from, Instant to) {
        String kind = policy.query().kind();
        if (sources.get(kind).isEmpty()) {
            return new SignalWindow(policy, List.of(), Optional.of("no " + kind + " source is configured"));
        }
        try {
            return switch (sources.open(kind, to).history(policy.query(), policy.reduce(), Duration.between(from,
                    to))) {
                case MetricSource.History.Points p -> new SignalWindow(policy, p.points(), Optional.empty());
                case MetricSource.History.NotKept n -> new SignalWindow(policy, List.of(), Optional.of("the " + kind
                        + " source keeps no history (it sees the present only)"));
            };
        } catch (SourceException e) {
            return new SignalWindow(policy, List.of(), Optional.of(kind + ": " + e.getMessage()));
        }
    }

    /** The worst value in the bound's direction (the highest for an upper bound), and when; empty without values. */
    public Optional<TimedObservation> worst() {
        boolean above = policy.bound().direction() == Direction.ABOVE;
        TimedObservation worst = null;
        for (TimedObservation p : points) {
            OptionalDouble v = value(p);
            if (v.isPresent() && (worst == null || (above ? v.getAsDouble() > value(worst).getAsDouble()
                    : v.getAsDouble() < value(worst).getAsDouble()))) {
                worst = p;
            }
        }
        return Optional.ofNullable(worst);
    }

    /** The last point with a value. */
    public Optional<TimedObservation> last() {
        for (int i = points.size() - 1; i >= 0; i--) {
            if (value(points.get(i)).isPresent()) {
                return Optional.of(points.get(i));
            }
        }
        return Optional.empty();
    }

    /** How long the signal was past its trigger, counting each point's step. */
    public Duration breached() {
        Duration total = Duration.ZERO;
        for (int i = 1; i < points.size(); i++) {
            OptionalDouble v = value(points.get(i));
            if (v.isPresent() && policy.bound().breached(v.getAsDouble())) {
                total = total.plus(Duration.between(points.get(i - 1).at(), points.get(i).at()));
            }
        }
        return total;
    }

    /** How many points were inconclusive (no data, a source error, NaN). */
    public long inconclusive() {
        return points.stream().filter(p -> value(p).isEmpty()).count();
    }

    /** A point's finite value. */
    public static OptionalDouble value(TimedObservation point) {
        return point.observation() instanceof Observation.Value v && Double.isFinite(v.value())
                ? OptionalDouble.of(v.value()) : OptionalDouble.empty();
    }
}
