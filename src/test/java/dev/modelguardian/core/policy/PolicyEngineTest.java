package dev.modelguardian.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.core.signal.TimedObservation;
import dev.modelguardian.testing.Query;

/** The engine reads each signal from the source of its kind through the port, once per source and cycle. */
class PolicyEngineTest {

    static final Instant NOW = Instant.parse("2026-02-14T01:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** What a fake source answers when asked for history. */
    enum HistoryAnswer { BREACHING, NOT_KEPT, FAILS }

    /** A source of one kind that answers every read with {@code value} and counts what it was asked. */
    static final class FakeSource implements MetricSource {
        final String kind;
        final double value;
        final HistoryAnswer history;
        final List<Instant> opened = new CopyOnWriteArrayList<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger histories = new AtomicInteger();
        /** What each cycle was told it would read, in the order told. */
        final List<List<String>> planned = new CopyOnWriteArrayList<>();
        /** What histories each cycle was told it would be asked for, as {@code query over window}. */
        final List<List<String>> plannedHistories = new CopyOnWriteArrayList<>();
        /** Whether planning fails (a source's bug). */
        boolean planFails;

        FakeSource(String kind, double value, HistoryAnswer history) {
            this.kind = kind;
            this.value = value;
            this.history = history;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public Cycle open(Instant at) {
            opened.add(at);
            int readsBefore = reads.get();
            int historiesBefore = histories.get();
            java.util.Set<String> historiesPlanned = java.util.concurrent.ConcurrentHashMap.newKeySet();
            return new Cycle() {
                @Override
                public void plan(Collection<? extends SignalQuery> queries) {
                    assertThat(reads).as("planned before the cycle's first read").hasValue(readsBefore);
                    planned.add(queries.stream().map(SignalQuery::describe).toList());
                    if (planFails) {
                        throw new IllegalStateException("planning failed");
                    }
                }

                @Override
                public void planHistories(Collection<HistoryRead> asked) {
                    assertThat(histories).as("planned before the cycle's first history").hasValue(historiesBefore);
                    plannedHistories.add(asked.stream().map(h -> h.query().describe() + " over " + h.window())
                            .toList());
                    historiesPlanned.addAll(plannedHistories.getLast());
                    if (planFails) {
                        throw new IllegalStateException("planning failed");
                    }
                }

                @Override
                public Observation read(SignalQuery query, Reduce reduce) {
                    reads.incrementAndGet();
                    return Observation.of(value);
                }

                @Override
                public History history(SignalQuery query, Reduce reduce, Duration window) throws SourceException {
                    histories.incrementAndGet();
                    if (!historiesPlanned.isEmpty()) {
                        assertThat(historiesPlanned).as("a history asked as it was planned")
                                .contains(query.describe() + " over " + window);
                    }
                    return switch (history) {
                        case BREACHING -> {
                            List<TimedObservation> points = new ArrayList<>();
                            for (Instant t = at.minus(window); !t.isAfter(at); t = t.plus(Duration.ofMinutes(1))) {
                                points.add(new TimedObservation(t, Observation.of(value)));
                            }
                            yield new History.Points(points);
                        }
                        case NOT_KEPT -> new History.NotKept();
                        case FAILS -> throw new SourceException("range query timed out");
                    };
                }
            };
        }
    }

    static Policy promQl(String signal, Duration forDuration) {
        return new Policy("m", signal, Query.promql("max(" + signal + ")"), Bound.above(20), forDuration,
                Reduce.MAX, NoDataPolicy.INCONCLUSIVE, "");
    }

    static Policy scrape(String signal, Duration forDuration) {
        return new Policy("m", signal, Query.scrape(signal), Bound.above(20), forDuration,
                Reduce.MAX, NoDataPolicy.INCONCLUSIVE, "");
    }

    @Test
    void givenThreeScrapeAndTwoPrometheusSignals_whenEvaluated_thenEachSourceOpensOnceAtTheClockInstant() {
        FakeSource prometheus = new FakeSource("prometheus", 10, HistoryAnswer.BREACHING);
        FakeSource scrape = new FakeSource("scrape", 10, HistoryAnswer.NOT_KEPT);
        PolicyEngine engine = new PolicyEngine(MetricSources.of(prometheus, scrape), CLOCK);

        List<Evaluation> evaluations = engine.evaluate(List.of(promQl("a", Duration.ZERO), scrape("b", Duration.ZERO),
                scrape("c", Duration.ZERO), promQl("d", Duration.ZERO), scrape("e", Duration.ZERO)),
                new InMemoryPolicyStateStore());

        assertThat(prometheus.opened).containsExactly(NOW);
        assertThat(scrape.opened).containsExactly(NOW);
        assertThat(prometheus.reads).hasValue(2);
        assertThat(scrape.reads).hasValue(3);
        assertThat(evaluations).extracting(e -> e.policy().signal()).containsExactly("a", "b", "c", "d", "e");
        assertThat(evaluations).allSatisfy(e -> assertThat(e.status().state()).isEqualTo(PolicyState.HEALTHY));
    }

    @Test
    void givenAWarningAndACriticalBoundOnTheSameQuery_whenEvaluated_thenTheQueryIsReadOnceAndEachBoundDecides() {
        FakeSource prometheus = new FakeSource("prometheus", 25, HistoryAnswer.BREACHING);
        Policy warning = promQl("mae", Duration.ZERO);
        Policy critical = new Policy("m", "mae-critical", Query.promql("max(mae)"), Bound.above(30),
                Duration.ZERO, Reduce.MAX, NoDataPolicy.INCONCLUSIVE, "");
        Policy lowest = new Policy("m", "mae-lowest", Query.promql("max(mae)"), Bound.above(20),
                Duration.ZERO, Reduce.MIN, NoDataPolicy.INCONCLUSIVE, "");

        List<Evaluation> evaluations = new PolicyEngine(MetricSources.of(prometheus), CLOCK)
                .evaluate(List.of(warning, critical, lowest, promQl("other", Duration.ZERO)),
                        new InMemoryPolicyStateStore());

        assertThat(prometheus.reads).as("max(mae) with MAX once, with MIN once, max(other) once").hasValue(3);
        assertThat(evaluations).extracting(e -> e.policy().signal() + " " + e.status().state()).containsExactly(
                "mae FIRING", "mae-critical HEALTHY", "mae-lowest FIRING", "other FIRING");
    }

    @Test
    void givenOnlyPrometheusSignals_whenEvaluated_thenTheScrapeSourceIsNeverOpened() {
        FakeSource prometheus = new FakeSource("prometheus", 10, HistoryAnswer.BREACHING);
        FakeSource scrape = new FakeSource("scrape", 10, HistoryAnswer.NOT_KEPT);

        new PolicyEngine(MetricSources.of(prometheus, scrape), CLOCK).evaluate(List.of(promQl("a", Duration.ZERO)),
                new InMemoryPolicyStateStore());

        assertThat(scrape.opened).isEmpty();
    }

    @Test
    void givenUnknownPolicyWithFor_whenItsSourceHasABreachingHistory_thenItIsBackfilledToFiring() {
        FakeSource prometheus = new FakeSource("prometheus", 30, HistoryAnswer.BREACHING);

        Evaluation e = new PolicyEngine(MetricSources.of(prometheus), CLOCK)
                .evaluate(List.of(promQl("a", Duration.ofMinutes(5))), new InMemoryPolicyStateStore()).getFirst();

        assertThat(e.status().state()).isEqualTo(PolicyState.FIRING);
        assertThat(e.status().breachSince()).contains(NOW.minus(Duration.ofMinutes(5)));
        assertThat(prometheus.histories).hasValue(1);
        assertThat(prometheus.reads).hasValue(0);
    }

    @Test
    void givenUnknownPolicyWithFor_whenItsSourceKeepsNoHistory_thenItIsReadNowAndOnlyPending() {
        FakeSource scrape = new FakeSource("scrape", 30, HistoryAnswer.NOT_KEPT);

        Evaluation e = new PolicyEngine(MetricSources.of(scrape), CLOCK)
                .evaluate(List.of(scrape("a", Duration.ofMinutes(5))), new InMemoryPolicyStateStore()).getFirst();

        assertThat(e.status().state()).isEqualTo(PolicyState.PENDING);
        assertThat(e.status().breachSince()).contains(NOW);
        assertThat(scrape.reads).hasValue(1);
    }

    @Test
    void givenUnknownPolicyWithFor_whenItsHistoryFails_thenTheEvaluationIsASourceError() {
        FakeSource prometheus = new FakeSource("prometheus", 30, HistoryAnswer.FAILS);

        Evaluation e = new PolicyEngine(MetricSources.of(prometheus), CLOCK)
                .evaluate(List.of(promQl("a", Duration.ofMinutes(5))), new InMemoryPolicyStateStore()).getFirst();

        assertThat(e.status().state()).isEqualTo(PolicyState.INCONCLUSIVE);
        assertThat(e.status().consecutiveSourceErrors()).isEqualTo(1);
        assertThat(e.status().reason()).hasValueSatisfying(r -> assertThat(r).contains("range query timed out"));
    }

    @Test
    void givenKnownPolicyWithFor_whenEvaluatedAgain_thenItIsReadNotBackfilled() {
        FakeSource prometheus = new FakeSource("prometheus", 30, HistoryAnswer.BREACHING);
        PolicyEngine engine = new PolicyEngine(MetricSources.of(prometheus), CLOCK);
        InMemoryPolicyStateStore store = new InMemoryPolicyStateStore();
        List<Policy> policies = List.of(promQl("a", Duration.ofMinutes(5)));

        engine.evaluate(policies, store);
        engine.evaluate(policies, store);

        assertThat(prometheus.histories).hasValue(1);
        assertThat(prometheus.reads).hasValue(1);
        assertThat(prometheus.opened).hasSize(2);
    }

    @Test
    void givenPoliciesOfTwoSources_whenEvaluated_thenEachCycleIsToldOnceWhatItWillReadNowButNotWhatItBackfills() {
        FakeSource prometheus = new FakeSource("prometheus", 10, HistoryAnswer.BREACHING);
        FakeSource scrape = new FakeSource("scrape", 10, HistoryAnswer.NOT_KEPT);
        InMemoryPolicyStateStore store = new InMemoryPolicyStateStore();
        PolicyEngine engine = new PolicyEngine(MetricSources.of(prometheus, scrape), CLOCK);
        engine.evaluate(List.of(promQl("known", Duration.ofMinutes(5))), store);
        prometheus.planned.clear();
        prometheus.reads.set(0);

        engine.evaluate(List.of(promQl("a", Duration.ZERO), promQl("new", Duration.ofMinutes(5)),
                scrape("b", Duration.ZERO), promQl("known", Duration.ofMinutes(5)), promQl("a", Duration.ZERO)), store);

        assertThat(prometheus.planned).as("the new policy is backfilled from history, not read now")
                .containsExactly(List.of("max(a)", "max(known)"));
        assertThat(scrape.planned).containsExactly(List.of("b"));
    }

    @Test
    void givenNewPoliciesWithAFor_whenEvaluated_thenTheirSourceIsToldOnceWhichHistoriesItWillBeAskedFor() {
        FakeSource prometheus = new FakeSource("prometheus", 10, HistoryAnswer.BREACHING);
        InMemoryPolicyStateStore store = new InMemoryPolicyStateStore();
        PolicyEngine engine = new PolicyEngine(MetricSources.of(prometheus), CLOCK);

        engine.evaluate(List.of(promQl("a", Duration.ofMinutes(5)), promQl("b", Duration.ofHours(1)),
                promQl("now", Duration.ZERO), promQl("a", Duration.ofMinutes(5))), store);
        engine.evaluate(List.of(promQl("a", Duration.ofMinutes(5)), promQl("b", Duration.ofHours(1))), store);

        assertThat(prometheus.plannedHistories).as("the first cycle's backfills; the second backfills nothing")
                .containsExactly(List.of("max(a) over PT5M", "max(b) over PT1H"));
        assertThat(prometheus.histories).as("the two policies on max(a) over 5m share one history").hasValue(2);
    }

    @Test
    void givenAWarningAndACriticalBoundOnOneNewSignal_whenBackfilled_thenItsHistoryIsAskedOnceAndDecidesBoth() {
        FakeSource prometheus = new FakeSource("prometheus", 30, HistoryAnswer.BREACHING);
        Policy warning = new Policy("m", "mae", Query.promql("max(mae)"), Bound.above(20), Duration.ofMinutes(5),
                Reduce.MAX, NoDataPolicy.INCONCLUSIVE, "");
        Policy critical = new Policy("m", "mae-critical", Query.promql("max(mae)"), Bound.above(40),
                Duration.ofMinutes(5), Reduce.MAX, NoDataPolicy.INCONCLUSIVE, "");

        List<Evaluation> evaluations = new PolicyEngine(MetricSources.of(prometheus), CLOCK).evaluate(
                List.of(warning, critical), new InMemoryPolicyStateStore());

        assertThat(prometheus.histories).hasValue(1);
        assertThat(evaluations).extracting(e -> e.status().state()).containsExactly(PolicyState.FIRING,
                PolicyState.HEALTHY);
    }

    @Test
    void givenASourceWhosePlanningFails_whenEvaluated_thenEveryPolicyIsStillReadAndDecided() {
        FakeSource prometheus = new FakeSource("prometheus", 30, HistoryAnswer.BREACHING);
        prometheus.planFails = true;

        List<Evaluation> evaluations = new PolicyEngine(MetricSources.of(prometheus), CLOCK).evaluate(
                List.of(promQl("a", Duration.ZERO), promQl("b", Duration.ZERO)), new InMemoryPolicyStateStore());

        assertThat(prometheus.planned).hasSize(1);
        assertThat(evaluations).extracting(e -> e.status().state()).containsExactly(PolicyState.FIRING,
                PolicyState.FIRING);
    }

    @Test
    void givenASourceWhoseHistoryPlanningFails_whenNewPoliciesAreBackfilled_thenEachIsStillBackfilledAndDecided() {
        FakeSource prometheus = new FakeSource("prometheus", 30, HistoryAnswer.BREACHING);
        prometheus.planFails = true;

        List<Evaluation> evaluations = new PolicyEngine(MetricSources.of(prometheus), CLOCK).evaluate(
                List.of(promQl("a", Duration.ofMinutes(5)), promQl("b", Duration.ofMinutes(5))),
                new InMemoryPolicyStateStore());

        assertThat(prometheus.plannedHistories).hasSize(1);
        assertThat(prometheus.histories).hasValue(2);
        assertThat(evaluations).extracting(e -> e.status().state()).containsExactly(PolicyState.FIRING,
                PolicyState.FIRING);
    }

    @Test
    void givenNoPolicies_whenEvaluated_thenNoSourceIsTouched() {
        assertThat(new PolicyEngine(null, CLOCK).evaluate(List.of(), new InMemoryPolicyStateStore())).isEmpty();
    }
}
