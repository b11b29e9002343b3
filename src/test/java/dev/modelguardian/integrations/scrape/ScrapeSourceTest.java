package dev.modelguardian.integrations.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.integrations.prometheus.PromQlQuery;
import dev.modelguardian.integrations.prometheus.PrometheusSource;

/** The scrape source: one fetch per cycle shared by every scrape signal, selection by name and labels, no history. */
class ScrapeSourceTest {

    static final Instant AT = Instant.parse("2026-02-14T00:00:00Z");
    static final ScrapeParseResult BODY = TextFormatParser.parse("""
            model_mae{model="a"} 12
            model_mae{model="b"} 30
            model_psi{model="a"} 0.2
            """);

    final List<Instant> fetches = new ArrayList<>();

    ScrapeSource source(ScrapeParseResult body) {
        return new ScrapeSource(at -> {
            fetches.add(at);
            return body;
        });
    }

    @Test
    void givenThreeScrapeSignals_whenOneCycleReadsThemAll_thenTheEndpointIsFetchedOnceAtTheCycleInstant() {
        MetricSource.Cycle cycle = source(BODY).open(AT);

        cycle.read(new ScrapeQuery("model_mae", Map.of("model", "a")), Reduce.MAX);
        cycle.read(new ScrapeQuery("model_mae", Map.of("model", "b")), Reduce.MAX);
        cycle.read(new ScrapeQuery("model_psi", Map.of()), Reduce.MAX);

        assertThat(fetches).containsExactly(AT);
    }

    @Test
    void givenTwoCycles_whenEachIsOpened_thenEachFetchesOnce() {
        ScrapeSource source = source(BODY);

        source.open(AT);
        source.open(AT.plusSeconds(60));

        assertThat(fetches).containsExactly(AT, AT.plusSeconds(60));
    }

    @Test
    void givenLabelsSelectingSomeSeries_whenRead_thenOnlyTheMatchingSeriesAreReduced() {
        MetricSource.Cycle cycle = source(BODY).open(AT);

        assertThat(cycle.read(new ScrapeQuery("model_mae", Map.of()), Reduce.MAX))
                .isEqualTo(new Observation.Value(30, 2));
        assertThat(cycle.read(new ScrapeQuery("model_mae", Map.of("model", "a")), Reduce.MAX))
                .isEqualTo(new Observation.Value(12, 1));
        assertThat(cycle.read(new ScrapeQuery("model_mae", Map.of("model", "c")), Reduce.MAX))
                .isEqualTo(Observation.noData());
    }

    @Test
    void givenFailedFetch_whenSignalsAreRead_thenEachIsASourceErrorWithTheFetchMessage() throws SourceException {
        MetricSource.Cycle cycle = new ScrapeSource(at -> {
            throw new SourceException("scrape of http://model:8000/metrics answered HTTP 503");
        }).open(AT);

        assertThat(cycle.read(new ScrapeQuery("model_mae", Map.of()), Reduce.MAX))
                .isEqualTo(Observation.error("scrape of http://model:8000/metrics answered HTTP 503"));
        assertThat(cycle.read(new ScrapeQuery("model_psi", Map.of()), Reduce.MAX))
                .isEqualTo(Observation.error("scrape of http://model:8000/metrics answered HTTP 503"));
        assertThatThrownBy(() -> cycle.history(new ScrapeQuery("model_mae", Map.of()), Reduce.MAX,
                Duration.ofMinutes(5))).isInstanceOf(SourceException.class).hasMessageContaining("HTTP 503");
    }

    @Test
    void givenScrape_whenHistoryIsAsked_thenItSaysItKeepsNone() throws SourceException {
        MetricSource.History history = source(BODY).open(AT).history(new ScrapeQuery("model_mae", Map.of()),
                Reduce.MAX, Duration.ofMinutes(5));

        assertThat(history).isInstanceOf(MetricSource.History.NotKept.class);
    }

    @Test
    void givenPromQlQuery_whenReadByTheScrapeSource_thenRefusedAsAnotherKind() {
        MetricSource.Cycle cycle = source(BODY).open(AT);

        assertThatThrownBy(() -> cycle.read(new PromQlQuery("up"), Reduce.MAX))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PromQlQuery("up").kind()).isEqualTo(PrometheusSource.KIND);
        assertThat(new ScrapeQuery("up", Map.of()).kind()).isEqualTo(ScrapeSource.KIND);
    }
}
