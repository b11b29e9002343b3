package dev.modelguardian.core.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.Series;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.testing.Query;

/** The inputs that moved most: a signal split by its breakdown label, worst first in the bound's direction. */
class InputDriftTest {

    static final Instant T0 = Instant.parse("2026-02-14T01:00:00Z");
    static final SignalQuery PSI = Query.promql("max(orchestration_ml_drift_score{drift_type=\"feature\"})");

    static Policy policy(Bound bound, Optional<String> breakdown) {
        return new Policy("ticket-duration-predictor", "feature-psi", PSI, bound, Duration.ZERO, Reduce.MAX,
                NoDataPolicy.INCONCLUSIVE, "", breakdown);
    }

    static Series series(String feature, double... values) {
        List<Series.Point> points = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new Series.Point(T0.plusSeconds(60L * i).toEpochMilli(), values[i]));
        }
        return new Series(Map.of("feature", feature), points);
    }

    static MetricSources answering(MetricSource.Breakdown breakdown) {
        return sources(new MetricSource.Cycle() {
            @Override
            public Observation read(SignalQuery query, Reduce reduce) {
                return Observation.noData();
            }

            @Override
            public MetricSource.History history(SignalQuery query, Reduce reduce, Duration window) {
                return new MetricSource.History.NotKept();
            }

            @Override
            public MetricSource.Breakdown breakdown(SignalQuery query, String label, Duration window)
                    throws SourceException {
                if (breakdown == null) {
                    throw new SourceException("Prometheus unreachable: connection refused");
                }
                return breakdown;
            }
        });
    }

    static MetricSources sources(MetricSource.Cycle cycle) {
        return MetricSources.of(new MetricSource() {
            @Override
            public String kind() {
                return "prometheus";
            }

            @Override
            public Cycle open(Instant at) {
                return cycle;
            }
        });
    }

    @Test
    void givenAnUpperBound_whenSplit_thenTheHighestWorstComesFirstWithWhenAndTheLastValue() {
        InputDrift drift = InputDrift.of(policy(Bound.above(0.25), Optional.of("feature")), "feature", List.of(
                series("queue_depth", 0.05, 0.12, 0.1), series("ticket_priority", 0.08, 0.34, 0.3),
                series("hour_of_day", 0.02, Double.NaN, 0.03)));

        assertThat(drift.inputs()).extracting(InputDrift.Input::value).containsExactly("ticket_priority",
                "queue_depth", "hour_of_day");
        assertThat(drift.inputs().getFirst()).isEqualTo(new InputDrift.Input("ticket_priority", 0.34,
                T0.plusSeconds(60), 0.3));
        assertThat(drift.inputs().getLast().worst()).as("NaN is no value").isEqualTo(0.03);
    }

    @Test
    void givenALowerBound_whenSplit_thenTheLowestWorstComesFirst() {
        InputDrift drift = InputDrift.of(policy(Bound.below(0.7), Optional.of("feature")), "feature", List.of(
                series("a", 0.9, 0.8), series("b", 0.75, 0.6)));

        assertThat(drift.inputs()).extracting(InputDrift.Input::value).containsExactly("b", "a");
        assertThat(drift.inputs().getFirst().worst()).isEqualTo(0.6);
    }

    @Test
    void givenAPolicyWithoutBreakdown_whenRead_thenThereIsNothingToSplit() {
        assertThat(InputDrift.read(policy(Bound.above(0.25), Optional.empty()), answering(
                new MetricSource.Breakdown.Split("feature", List.of())), T0, T0.plusSeconds(3600))).isEmpty();
    }

    @Test
    void givenASourceThatCannotSplit_whenRead_thenItSaysWhy() {
        assertThat(InputDrift.read(policy(Bound.above(0.25), Optional.of("feature")), answering(
                new MetricSource.Breakdown.NotKept("the query is not max(...)")), T0, T0.plusSeconds(3600)))
                .get().extracting(InputDrift::unavailable).isEqualTo(Optional.of("the query is not max(...)"));
    }

    @Test
    void givenASourceThatDoesNotAnswer_whenRead_thenTheDriftIsUnavailableNotAFailure() {
        assertThat(InputDrift.read(policy(Bound.above(0.25), Optional.of("feature")), answering(null), T0,
                T0.plusSeconds(3600)).orElseThrow().unavailable())
                .contains("prometheus: Prometheus unreachable: connection refused");
    }

    @Test
    void givenNoSourceOfTheKind_whenRead_thenItSaysSo() {
        assertThat(InputDrift.read(policy(Bound.above(0.25), Optional.of("feature")), MetricSources.of(),
                T0, T0.plusSeconds(3600)).orElseThrow().unavailable()).contains("no prometheus source is configured");
    }

    @Test
    void givenSeriesThatDoNotCarryTheLabel_whenSplit_thenItIsUnavailableNotOneMadeUpInput() {
        Series unlabelled = new Series(Map.of("model", "duration-predictor"), List.of(new Series.Point(
                T0.toEpochMilli(), 0.3)));

        InputDrift drift = InputDrift.of(policy(Bound.above(0.25), Optional.of("feature")), "feature",
                List.of(unlabelled));

        assertThat(drift.inputs()).isEmpty();
        assertThat(drift.unavailable()).contains("no series of the query carries 'feature' (an inner aggregation"
                + " drops it)");
    }
}
