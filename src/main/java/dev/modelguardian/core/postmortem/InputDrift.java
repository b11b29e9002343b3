package dev.modelguardian.core.postmortem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.core.policy.Direction;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Series;
import dev.modelguardian.core.signal.SourceException;

/**
 * The inputs that moved most: a signal split by its {@link Policy#breakdown()} label (Neural Hive's per-feature PSI)
 * over the incident window, each value of the label with its worst point, worst first in the bound's direction (the
 * highest for an upper bound); or why the source could not split it.
 *
 * @param policy      the signal
 * @param label       the label it is split by
 * @param inputs      every value of the label seen in the window, worst first
 * @param unavailable why there is no split, when there is none
 */
public record InputDrift(Policy policy, String label, List<Input> inputs, Optional<String> unavailable) {

    /** How many inputs the draft lists; the others are counted. */
    public static final int SHOWN = 10;

    public InputDrift {
        inputs = List.copyOf(inputs);
    }

    /** One value of the label: its worst value over the window, when, and its last value. */
    public record Input(String value, double worst, Instant at, double last) {
    }

    /**
     * Splits {@code policy}'s signal by its breakdown label from {@code from} to {@code to}; empty when the policy has
     * no breakdown label.
     */
    public static Optional<InputDrift> read(Policy policy, MetricSources sources, Instant from, Instant to) {
        if (policy.breakdown().isEmpty()) {
            return Optional.empty();
        }
        String label = policy.breakdown().get();
        String kind = policy.query().kind();
        if (sources.get(kind).isEmpty()) {
            return Optional.of(unavailable(policy, label, "no " + kind + " source is configured"));
        }
        try {
            return Optional.of(switch (sources.open(kind, to).breakdown(policy.query(), label,
                    Duration.between(from, to))) {
                case MetricSource.Breakdown.Split split -> of(policy, label, split.series());
                case MetricSource.Breakdown.NotKept n -> unavailable(policy, label, n.why());
            });
        } catch (SourceException e) {
            return Optional.of(unavailable(policy, label, kind + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            // A malformed answer, a query the source refuses: this section says so, the draft is still written.
            return Optional.of(unavailable(policy, label, kind + ": " + e));
        }
    }

    /** The split of {@code series} (one per value of {@code label}), worst first. */
    static InputDrift of(Policy policy, String label, List<Series> series) {
        if (!series.isEmpty() && series.stream().noneMatch(s -> s.labels().containsKey(label))) {
            return unavailable(policy, label, "no series of the query carries '" + label + "' (an inner aggregation"
                    + " drops it)");
        }
        boolean above = policy.bound().direction() == Direction.ABOVE;
        List<Input> inputs = new ArrayList<>();
        for (Series s : series) {
            Series.Point worst = null;
            Series.Point last = null;
            for (Series.Point p : s.points()) {
                if (!Double.isFinite(p.value())) {
                    continue;
                }
                if (worst == null || (above ? p.value() > worst.value() : p.value() < worst.value())) {
                    worst = p;
                }
                last = p;
            }
            if (worst != null) {
                inputs.add(new Input(s.labels().getOrDefault(label, "(no " + label + ")"), worst.value(),
                        Instant.ofEpochMilli(worst.epochMillis()), last.value()));
            }
        }
        Comparator<Input> byWorst = Comparator.comparingDouble(Input::worst);
        inputs.sort((above ? byWorst.reversed() : byWorst).thenComparing(Input::value));
        return new InputDrift(policy, label, inputs, Optional.empty());
    }

    /** No split of {@code policy}'s signal by {@code label}, and why. */
    public static InputDrift unavailable(Policy policy, String label, String why) {
        return new InputDrift(policy, label, List.of(), Optional.of(why));
    }
}
