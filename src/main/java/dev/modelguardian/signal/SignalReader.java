package dev.modelguardian.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;

import dev.modelguardian.policy.Reduce;

/**
 * The observe step: turns a signal's query into observations, bounding how many calls are in flight to Prometheus.
 * Every failure becomes an {@link Observation.SourceError}; nothing here throws.
 */
public final class SignalReader implements Signals {

    /** Prometheus refuses range queries of more than 11,000 points; stay well below. */
    public static final int MAX_RANGE_POINTS = 10_000;

    private final PrometheusClient prometheus;
    private final ScrapeClient scrape;
    private final Semaphore inFlight;
    private final Duration backfillStep;

    /**
     * @param prometheus   client of the prometheus source, or null when not configured
     * @param scrape       client of the scrape source, or null when not configured
     * @param maxInFlight  most concurrent calls to Prometheus
     * @param backfillStep finest resolution of range queries
     */
    public SignalReader(PrometheusClient prometheus, ScrapeClient scrape, int maxInFlight, Duration backfillStep) {
        this.prometheus = prometheus;
        this.scrape = scrape;
        this.inFlight = new Semaphore(maxInFlight, true);
        this.backfillStep = backfillStep;
    }

    /** The current value of a PromQL query, reduced over its series. */
    @Override
    public Observation instant(SignalQuery.PromQl query, Reduce reduce, Instant at) {
        try {
            double[] values = withPermit(() -> prometheus.query(query.query(), at));
            return values.length == 0 ? Observation.noData() : new Observation.Value(reduce.apply(values), values.length);
        } catch (SourceException e) {
            return Observation.error(e.getMessage());
        }
    }

    /**
     * The history of a PromQL query over {@code window} before {@code end}, as one observation per grid step (a step
     * with no series is {@link Observation.NoData}); the last point is {@code end} itself.
     */
    @Override
    public List<TimedObservation> history(SignalQuery.PromQl query, Reduce reduce, Instant end, Duration window)
            throws SourceException {
        Duration step = gridStep(window);
        long steps = Math.max(1, ceilDiv(window.toMillis(), step.toMillis()));
        Instant start = end.minus(step.multipliedBy(steps));
        return range(query, reduce, start, end, step);
    }

    /**
     * A PromQL query over {@code [start, end]} as one observation per {@code step} from {@code start} (a step with no
     * series is {@link Observation.NoData}), reduced over the series like an instant read. The caller bounds the
     * number of steps (at most {@link #MAX_RANGE_POINTS}).
     */
    public List<TimedObservation> range(SignalQuery.PromQl query, Reduce reduce, Instant start, Instant end,
            Duration step) throws SourceException {
        long steps = Duration.between(start, end).toMillis() / step.toMillis();
        if (steps > MAX_RANGE_POINTS) {
            throw new IllegalArgumentException(steps + " steps asked of one range query; at most " + MAX_RANGE_POINTS);
        }
        List<Series> series = withPermit(() -> prometheus.queryRange(query.query(), start, end, step));
        Map<Long, List<Double>> byTime = new TreeMap<>();
        for (Series s : series) {
            for (Series.Point p : s.points()) {
                byTime.computeIfAbsent(p.epochMillis(), t -> new ArrayList<>()).add(p.value());
            }
        }
        List<TimedObservation> points = new ArrayList<>((int) steps + 1);
        for (long i = 0; i <= steps; i++) {
            Instant at = start.plus(step.multipliedBy(i));
            List<Double> values = byTime.get(at.toEpochMilli());
            Observation o = values == null ? Observation.noData()
                    : new Observation.Value(reduce.apply(values.stream().mapToDouble(Double::doubleValue).toArray()),
                            values.size());
            points.add(new TimedObservation(at, o));
        }
        return points;
    }

    /** One scrape of the scrape source, shared by every scrape signal of a cycle. */
    @Override
    public ScrapeParseResult scrapeOnce() throws SourceException {
        if (scrape == null) {
            throw new SourceException("guardian.scrape.url is not set");
        }
        return scrape.scrape();
    }

    /** Selects a metric from a scrape by name and exact labels, reduced over the matching series. */
    public static Observation select(ScrapeParseResult scraped, SignalQuery.Scrape query, Reduce reduce) {
        double[] values = scraped.samples().stream()
                .filter(s -> s.name().equals(query.metric()))
                .filter(s -> query.labels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
                .mapToDouble(ScrapedSample::value)
                .toArray();
        return values.length == 0 ? Observation.noData() : new Observation.Value(reduce.apply(values), values.length);
    }

    Duration gridStep(Duration window) {
        long minStepMillis = ceilDiv(window.toMillis(), MAX_RANGE_POINTS);
        return backfillStep.toMillis() >= minStepMillis ? backfillStep : Duration.ofMillis(minStepMillis);
    }

    @FunctionalInterface
    private interface SourceCall<T> {
        T call() throws SourceException;
    }

    private <T> T withPermit(SourceCall<T> call) throws SourceException {
        if (prometheus == null) {
            throw new SourceException("guardian.prometheus.url is not set");
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while waiting to query Prometheus");
        }
        try {
            return call.call();
        } finally {
            inFlight.release();
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
