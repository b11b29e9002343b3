package dev.modelguardian.core.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.modelguardian.testing.Query;

/** The registry of metric sources by kind, and the source that cannot answer. */
class MetricSourcesTest {

    static final Instant AT = Instant.parse("2026-02-14T00:00:00Z");

    /** A source that records when it was opened and answers every read with {@code value}. */
    record Counting(String kind, double value, List<Instant> opened) implements MetricSource {
        Counting(String kind, double value) {
            this(kind, value, new ArrayList<>());
        }

        @Override
        public Cycle open(Instant at) {
            opened.add(at);
            return new Cycle() {
                @Override
                public Observation read(SignalQuery query, Reduce reduce) {
                    return Observation.of(value);
                }

                @Override
                public History history(SignalQuery query, Reduce reduce, Duration window) {
                    return new History.NotKept();
                }
            };
        }
    }

    @Test
    void givenSourcesOfTwoKinds_whenCycleOpensBothKindsNamedRepeatedly_thenEachSourceOpensOnceAtTheInstant() {
        Counting prometheus = new Counting("prometheus", 1);
        Counting scrape = new Counting("scrape", 2);
        MetricSources sources = MetricSources.of(prometheus, scrape);

        Map<String, MetricSource.Cycle> cycles = sources.open(List.of("scrape", "prometheus", "scrape"), AT);

        assertThat(cycles).containsOnlyKeys("prometheus", "scrape");
        assertThat(prometheus.opened()).containsExactly(AT);
        assertThat(scrape.opened()).containsExactly(AT);
        assertThat(cycles.get("scrape").read(Query.scrape("m"), Reduce.MAX))
                .isEqualTo(Observation.of(2));
    }

    @Test
    void givenOnlyTheKindsInUse_whenOpened_thenTheOtherSourcesAreNotOpened() {
        Counting prometheus = new Counting("prometheus", 1);
        Counting scrape = new Counting("scrape", 2);

        MetricSources.of(prometheus, scrape).open(List.of("prometheus"), AT);

        assertThat(prometheus.opened()).hasSize(1);
        assertThat(scrape.opened()).isEmpty();
    }

    @Test
    void givenKindNobodyRegistered_whenRead_thenTheReadIsASourceErrorNamingTheKind() {
        MetricSources sources = MetricSources.of(new Counting("prometheus", 1));

        Observation o = sources.open("graphite", AT).read(Query.promql("up"), Reduce.MAX);

        assertThat(o).isEqualTo(Observation.error("no metric source of kind 'graphite' is registered"));
        assertThat(sources.get("graphite")).isEmpty();
    }

    @Test
    void givenTwoSourcesOfOneKind_whenRegistered_thenRefused() {
        assertThatThrownBy(() -> MetricSources.of(new Counting("scrape", 1), new Counting("scrape", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'scrape'");
    }

    @Test
    void givenUnavailableSource_whenReadAndAskedForHistoryOrASplit_thenErrorAndSourceExceptionCarryTheReason() {
        MetricSource source = MetricSource.unavailable("prometheus", "guardian.prometheus.url is not set");
        MetricSource.Cycle cycle = source.open(AT);

        assertThat(source.kind()).isEqualTo("prometheus");
        assertThat(cycle.read(Query.promql("up"), Reduce.MAX))
                .isEqualTo(Observation.error("guardian.prometheus.url is not set"));
        assertThatThrownBy(() -> cycle.history(Query.promql("up"), Reduce.MAX, Duration.ofMinutes(5)))
                .isInstanceOf(SourceException.class).hasMessage("guardian.prometheus.url is not set");
        assertThatThrownBy(() -> cycle.breakdown(Query.promql("max(up)"), "job", Duration.ofMinutes(5)))
                .isInstanceOf(SourceException.class).hasMessage("guardian.prometheus.url is not set");
    }
}
