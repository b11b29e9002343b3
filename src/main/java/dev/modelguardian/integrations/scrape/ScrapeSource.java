package dev.modelguardian.integrations.scrape;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.ScriptedSignals;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SourceException;

/**
 * The {@code scrape} metric source: a Prometheus text-format endpoint fetched once per cycle, shared by every scrape
 * signal of that cycle, each selecting a metric by name and exact labels. A scrape sees only the present, so it keeps
 * no history; a failed fetch makes every read of the cycle an {@link Observation.SourceError}.
 */
public final class ScrapeSource implements MetricSource {

    /** The kind signals name this source by ({@code source: scrape}). */
    public static final String KIND = ScrapeQuery.KIND;

    /** One fetch of the whole endpoint for the cycle at {@code at}, parsed: {@link ScrapeClient#scrape()} in production. */
    @FunctionalInterface
    public interface Fetch {
        ScrapeParseResult fetch(Instant at) throws SourceException;
    }

    private final Fetch fetch;

    public ScrapeSource(Fetch fetch) {
        this.fetch = Objects.requireNonNull(fetch, "fetch");
    }

    /**
     * The source {@code guardian.scrape.*} configures; without a URL, a source whose every read fails saying
     * {@code guardian.scrape.url is not set}.
     */
    public static MetricSource from(ScrapeSettings config) {
        return config.url().isPresent() ? new ScrapeSource(scrapeOf(new ScrapeClient(config)))
                : MetricSource.unavailable(KIND, "guardian.scrape.url is not set");
    }

    private static Fetch scrapeOf(ScrapeClient client) {
        return at -> client.scrape();
    }

    /**
     * This source over a simulated scrape, for a replay: each fetch holds one sample per scripted scrape query that
     * has a value at that instant; a scripted source error fails the whole fetch, as a failed fetch would.
     */
    public static ScrapeSource scripted(ScriptedSignals script) {
        return new ScrapeSource(at -> {
            List<ScrapedSample> samples = new ArrayList<>();
            for (SignalQuery query : script.queries()) {
                if (query instanceof ScrapeQuery scrape) {
                    switch (script.read(scrape, at)) {
                        case Observation.Value v -> samples.add(new ScrapedSample(scrape.metric(), scrape.labels(),
                                v.value(), OptionalLong.empty()));
                        case Observation.NoData n -> {
                        }
                        case Observation.SourceError err -> throw new SourceException(err.message());
                    }
                }
            }
            return new ScrapeParseResult(samples, List.of());
        });
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Fetches the endpoint, once for the whole cycle. */
    @Override
    public Cycle open(Instant at) {
        ScrapeParseResult scraped;
        try {
            scraped = fetch.fetch(at);
        } catch (SourceException e) {
            return MetricSource.unavailable(KIND, e.getMessage()).open(at);
        }
        return new Cycle() {
            @Override
            public Observation read(SignalQuery query, Reduce reduce) {
                return select(scraped, scrape(query), reduce);
            }

            @Override
            public History history(SignalQuery query, Reduce reduce, Duration window) {
                scrape(query);
                return new History.NotKept();
            }
        };
    }

    /** Selects a metric from a scrape by name and exact labels, reduced over the matching series. */
    static Observation select(ScrapeParseResult scraped, ScrapeQuery query, Reduce reduce) {
        double[] values = scraped.samples().stream()
                .filter(s -> s.name().equals(query.metric()))
                .filter(s -> query.labels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
                .mapToDouble(ScrapedSample::value)
                .toArray();
        return values.length == 0 ? Observation.noData() : new Observation.Value(reduce.apply(values), values.length);
    }

    private static ScrapeQuery scrape(SignalQuery query) {
        if (query instanceof ScrapeQuery scrape) {
            return scrape;
        }
        throw new IllegalArgumentException("the " + KIND + " source selects scraped metrics, not a " + query.kind()
                + " query: " + query.describe());
    }
}
