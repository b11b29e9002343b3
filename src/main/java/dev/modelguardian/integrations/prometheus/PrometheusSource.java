package dev.modelguardian.integrations.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.Series;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SignalRange;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.core.signal.TimedObservation;

/**
 * The {@code prometheus} metric source: a signal's PromQL query against the Prometheus HTTP API, bounding how many
 * calls are in flight to Prometheus across every cycle. Every failure of a read becomes an
 * {@link Observation.SourceError}; history declares {@link SourceException}.
 */
public final class PrometheusSource implements MetricSource, SignalRange {

    /** The kind signals name this source by ({@code source: prometheus}, the default). */
    public static final String KIND = PromQlQuery.KIND;

    /** Prometheus refuses range queries of more than 11,000 points; stay well below, at the port's bound. */
    public static final int MAX_RANGE_POINTS = SignalRange.MAX_POINTS;

    private static final Logger LOG = Logger.getLogger(PrometheusSource.class);

    /**
     * The longest a batch of reads' query grows to, URL-encoded, in characters: with the rest of the request line,
     * within the 8 KiB that proxies in front of Prometheus commonly accept (nginx's default).
     */
    static final int MAX_BATCH_LENGTH = 6000;

    /** How long reads whose batch Prometheus refused are asked alone before they are batched again. */
    static final Duration REFUSED_FOR = Duration.ofHours(1);

    /**
     * The most points one range batch asks for, counting one series a value of its label: a batch of 1 h histories at
     * the default 15 s step holds up to 82 values, of 6 h up to 13. Keeps a batch's answer (held until each of its
     * histories has taken its series) to a few MiB, as a few histories asked alone would be.
     */
    static final int MAX_RANGE_BATCH_POINTS = 20_000;

    private final PrometheusClient prometheus;
    private final Semaphore inFlight;
    private final Duration backfillStep;
    /** Instant reads whose batch Prometheus refused, asked alone until the instant given. */
    private final Map<PromQlQuery, Instant> aloneUntil = new ConcurrentHashMap<>();
    /**
     * Histories whose range batch Prometheus refused, asked alone until the instant given; apart from the instant
     * reads', as a range batch is refused for its size far sooner than the instant batch of the same queries.
     */
    private final Map<HistoryRead, Instant> historiesAloneUntil = new ConcurrentHashMap<>();

    /**
     * @param prometheus   client of Prometheus
     * @param maxInFlight  most concurrent calls to Prometheus
     * @param backfillStep finest resolution of range queries
     */
    public PrometheusSource(PrometheusClient prometheus, int maxInFlight, Duration backfillStep) {
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
        this.inFlight = new Semaphore(maxInFlight, true);
        this.backfillStep = backfillStep;
    }

    /**
     * The source {@code guardian.prometheus.*} configures; without a URL, a source whose every read fails saying
     * {@code guardian.prometheus.url is not set}.
     */
    public static MetricSource from(PrometheusSettings config, ObjectMapper mapper) {
        return config.url().isPresent()
                ? new PrometheusSource(new PrometheusClient(config, mapper), config.maxConcurrency(),
                        config.backfillStep())
                : MetricSource.unavailable(KIND, "guardian.prometheus.url is not set");
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Prometheus is queried per read (opening a cycle asks nothing of it), except that reads {@link Cycle#plan planned}
     * together that differ only by their labels' values are answered by one query ({@link PromQlBatches}), and so are
     * histories {@link Cycle#planHistories planned} together with one window (one range query).
     */
    @Override
    public Cycle open(Instant at) {
        return new Cycle() {
            /** The batch that answers each planned query that has one; filled by plan, before the first read. */
            private final Map<PromQlQuery, BatchRead<double[]>> batched = new ConcurrentHashMap<>();
            /** The batch that answers each planned history that has one; filled by planHistories. */
            private final Map<HistoryRead, BatchRead<List<Series>>> batchedHistories = new ConcurrentHashMap<>();

            @Override
            public void plan(Collection<? extends SignalQuery> reads) {
                aloneUntil.values().removeIf(until -> !until.isAfter(at));
                List<PromQlQuery> batchable = promQl(reads).filter(q -> !aloneUntil.containsKey(q)).toList();
                for (PromQlBatches.Batch batch : PromQlBatches.plan(batchable, MAX_BATCH_LENGTH)) {
                    BatchRead<double[]> read = new BatchRead<>(batch, "instant query", at,
                            () -> batch.answer(prometheus.querySeries(batch.promql(), at)),
                            alone -> () -> prometheus.query(alone.query(), at),
                            until -> batch.queries().forEach(q -> aloneUntil.put(q, until)));
                    batch.queries().forEach(q -> batched.put(q, read));
                }
            }

            @Override
            public void planHistories(Collection<HistoryRead> reads) {
                historiesAloneUntil.values().removeIf(until -> !until.isAfter(at));
                Map<Duration, List<SignalQuery>> byWindow = new java.util.LinkedHashMap<>();
                reads.stream().filter(r -> !historiesAloneUntil.containsKey(r))
                        .forEach(r -> byWindow.computeIfAbsent(r.window(), w -> new ArrayList<>()).add(r.query()));
                byWindow.forEach((window, queries) -> {
                    Grid grid = grid(window, at);
                    int maxValues = (int) (MAX_RANGE_BATCH_POINTS / (grid.steps() + 1));
                    for (PromQlBatches.Batch batch : PromQlBatches.plan(promQl(queries).toList(), MAX_BATCH_LENGTH,
                            maxValues)) {
                        BatchRead<List<Series>> read = new BatchRead<>(batch, "range query over "
                                + dev.modelguardian.core.policy.Durations.format(window), at,
                                // Taken once by each history (below): the answer is not kept for the whole cycle.
                                () -> new ConcurrentHashMap<>(batch.split(prometheus.queryRange(batch.promql(),
                                        grid.start(), at, grid.step()))),
                                alone -> () -> prometheus.queryRange(alone.query(), grid.start(), at, grid.step()),
                                until -> batch.queries().forEach(q -> historiesAloneUntil.put(new HistoryRead(q,
                                        window), until)));
                        batch.queries().forEach(q -> batchedHistories.put(new HistoryRead(q, window), read));
                    }
                });
            }

            @Override
            public Observation read(SignalQuery query, Reduce reduce) {
                PromQlQuery promQl = promQl(query);
                BatchRead<double[]> batch = batched.get(promQl);
                if (batch != null) {
                    switch (batch.outcome()) {
                        case BatchRead.Answered<double[]>(var values) -> {
                            return observation(values.get(promQl), reduce);
                        }
                        case BatchRead.Failed<double[]>(var message) -> {
                            return Observation.error(message);
                        }
                        case BatchRead.Refused<double[]>(var answered, var failed) -> {
                            if (answered.containsKey(promQl)) {
                                return observation(answered.get(promQl), reduce);
                            }
                            if (failed.containsKey(promQl)) {
                                return Observation.error(failed.get(promQl));
                            }
                            // read alone, below
                        }
                    }
                }
                return instant(promQl, reduce, at);
            }

            @Override
            public History history(SignalQuery query, Reduce reduce, Duration window) throws SourceException {
                PromQlQuery promQl = promQl(query);
                BatchRead<List<Series>> batch = batchedHistories.get(new HistoryRead(promQl, window));
                if (batch != null) {
                    Grid grid = grid(window, at);
                    switch (batch.outcome()) {
                        case BatchRead.Answered<List<Series>>(var series) -> {
                            // Each history takes its series once; a second one of the query (another reduction:
                            // the engine shares the others) asks alone, below.
                            List<Series> own = series.remove(promQl);
                            if (own != null) {
                                return new History.Points(points(own, reduce, grid.start(), grid.steps(),
                                        grid.step()));
                            }
                        }
                        case BatchRead.Failed<List<Series>>(var message) -> throw new SourceException(message);
                        case BatchRead.Refused<List<Series>>(var answered, var failed) -> {
                            if (answered.containsKey(promQl)) {
                                return new History.Points(points(answered.get(promQl), reduce, grid.start(),
                                        grid.steps(), grid.step()));
                            }
                            if (failed.containsKey(promQl)) {
                                throw new SourceException(failed.get(promQl));
                            }
                            // asked alone, below
                        }
                    }
                }
                return new History.Points(PrometheusSource.this.history(promQl, reduce, at, window));
            }

            @Override
            public Breakdown breakdown(SignalQuery query, String label, Duration window) throws SourceException {
                Optional<String> split = splitBy(promQl(query).query(), label);
                if (split.isEmpty()) {
                    return new Breakdown.NotKept("the query is not max(...) or min(...) of the series that carry '"
                            + label + "': " + promQl(query).query());
                }
                Duration step = gridStep(window);
                long steps = Math.max(1, ceilDiv(window.toMillis(), step.toMillis()));
                String promql = split.get();
                List<Series> series = withPermit(() -> prometheus.queryRange(promql, at.minus(step.multipliedBy(steps)),
                        at, step));
                return new Breakdown.Split(label, series);
            }
        };
    }

    /** The PromQL queries among {@code queries}, once each. */
    private static java.util.stream.Stream<PromQlQuery> promQl(Collection<? extends SignalQuery> queries) {
        return queries.stream().filter(PromQlQuery.class::isInstance).map(PromQlQuery.class::cast).distinct();
    }

    /**
     * {@code max(EXPR)} or {@code min(EXPR)} as {@code max by (label) (EXPR)}: the same signal, one series per value
     * of {@code label}; empty for any other shape of query (the label is aggregated away in a way this cannot undo).
     */
    public static Optional<String> splitBy(String promql, String label) {
        String q = promql.strip();
        Matcher m = AGGREGATION.matcher(q);
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        // The parenthesis after max/min must close at the very end: max(a) / max(b) is not one aggregation.
        // Parentheses inside string literals ("(", '(', `(`) and comments (# to the end of the line) do not count.
        int depth = 0;
        int open = m.end(1);
        char quote = 0;
        for (int i = open; i < q.length(); i++) {
            char c = q.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '#') {
                return Optional.empty();
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0 && i != q.length() - 1) {
                return Optional.empty();
            }
        }
        if (depth != 0 || quote != 0) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) + " by (" + label + ") " + q.substring(open).strip());
    }

    private static final Pattern AGGREGATION = Pattern.compile("^(max|min)\\s*(?=\\()", Pattern.DOTALL);

    /** The current value of a PromQL query, reduced over its series. */
    Observation instant(PromQlQuery query, Reduce reduce, Instant at) {
        try {
            return observation(withPermit(() -> prometheus.query(query.query(), at)), reduce);
        } catch (SourceException e) {
            return Observation.error(e.getMessage());
        }
    }

    private static Observation observation(double[] values, Reduce reduce) {
        return values.length == 0 ? Observation.noData() : new Observation.Value(reduce.apply(values), values.length);
    }

    /**
     * One batch of a cycle (an instant query, or a range query with its window), {@code V} being what one of its
     * queries gets (the values of an instant, the series of a range): asked of Prometheus once, by the first read of
     * any of its queries, while the others wait.
     * When the batch fails, its first query and, unless Prometheus replies to that one (an answer, or a 4xx refusing
     * that query alone), its last are asked alone to tell why. If Prometheus replies to one, the batch itself was the
     * trouble (a proxy that refuses the URL, a limit on samples, a timeout a single read does not reach): its reads
     * are asked alone, now and for {@link #REFUSED_FOR} (each probe keeps its answer or its own error). If to neither
     * (no answer, a 5xx, a timeout, 429: down, restarting, overloaded, or this thread interrupted), Prometheus is the
     * trouble: every read of the batch is the first one's error, as each alone would most likely have been, without
     * asking again, and nothing is remembered. A Prometheus that times out now and then can pass for the first case
     * and is then asked each read alone for the hour.
     */
    private final class BatchRead<V> {

        /** What became of the batch. */
        sealed interface Outcome<T> {
        }

        /** Each query's answer, from the batch's. */
        record Answered<T>(Map<PromQlQuery, T> values) implements Outcome<T> {
        }

        /** Neither the batch nor one of its queries alone was answered: every read of the batch is this error. */
        record Failed<T>(String message) implements Outcome<T> {
        }

        /**
         * The batch failed but a query of it was answered alone: the queries asked alone with their answers or their
         * error; each other read is asked alone.
         */
        record Refused<T>(Map<PromQlQuery, T> answered, Map<PromQlQuery, String> failed) implements Outcome<T> {
        }

        /** The longest part of Prometheus's error a warning quotes (a client's message may carry the whole URL). */
        private static final int QUOTED = 300;

        private final PromQlBatches.Batch batch;
        private final String what;
        private final Instant at;
        private final SourceCall<Map<PromQlQuery, V>> askBatch;
        private final java.util.function.Function<PromQlQuery, SourceCall<V>> askAlone;
        private final java.util.function.Consumer<Instant> refusedUntil;
        private final AtomicBoolean asked = new AtomicBoolean();
        private final CompletableFuture<Outcome<V>> outcome = new CompletableFuture<>();

        /**
         * @param what     the batch's kind of query, for the warning: {@code instant query}, {@code range query over 1h}
         * @param askBatch asks the batch's query and splits its answer by query
         * @param askAlone asks one query of the batch alone
         * @param refusedUntil remembers that the batch's queries are asked alone until the instant given
         */
        BatchRead(PromQlBatches.Batch batch, String what, Instant at, SourceCall<Map<PromQlQuery, V>> askBatch,
                java.util.function.Function<PromQlQuery, SourceCall<V>> askAlone,
                java.util.function.Consumer<Instant> refusedUntil) {
            this.batch = batch;
            this.what = what;
            this.at = at;
            this.askBatch = askBatch;
            this.askAlone = askAlone;
            this.refusedUntil = refusedUntil;
        }

        /** The batch's outcome, asking Prometheus if no read has yet. */
        Outcome<V> outcome() {
            if (asked.compareAndSet(false, true)) {
                try {
                    outcome.complete(ask());
                } catch (RuntimeException | Error e) {
                    outcome.completeExceptionally(e);
                    throw e;
                }
            }
            try {
                return outcome.join();
            } catch (CompletionException e) {
                // The first reader's own failure, as it saw it (a bug: reads answer errors as observations).
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        private Outcome<V> ask() {
            SourceException batchFailed;
            try {
                return new Answered<>(withPermit(askBatch));
            } catch (SourceException e) {
                batchFailed = e;
            }
            Map<PromQlQuery, V> answered = new HashMap<>();
            Map<PromQlQuery, String> failed = new HashMap<>();
            boolean replied = false;
            for (PromQlQuery probe : List.of(batch.members().getFirst().query(), batch.members().getLast().query())) {
                try {
                    answered.put(probe, withPermit(askAlone.apply(probe)));
                    replied = true;
                    break;
                } catch (SourceException e) {
                    failed.put(probe, e.getMessage());
                    if (PrometheusClient.QueryRefused.refused(e)) {
                        // Prometheus answers; this query alone is refused (its own trouble): the others may not be.
                        replied = true;
                        break;
                    }
                }
            }
            if (!replied) {
                return new Failed<>(failed.get(batch.members().getFirst().query()));
            }
            Instant until = at.plus(REFUSED_FOR).truncatedTo(ChronoUnit.SECONDS);
            refusedUntil.accept(until);
            String why = batchFailed.getMessage();
            LOG.warnf("Prometheus failed one %s for %d reads of %s that differ by %s (%s) but replied to one of them"
                    + " alone; each is asked alone until %s", what, batch.members().size(), batch.metric(),
                    batch.label(), why.length() > QUOTED ? why.substring(0, QUOTED) + "..." : why, until);
            LOG.debugf("The query Prometheus did not answer: %s", batch.promql());
            return new Refused<>(Map.copyOf(answered), Map.copyOf(failed));
        }
    }

    /**
     * The history of a PromQL query over {@code window} before {@code end}, as one observation per grid step (a step
     * with no series is {@link Observation.NoData}); the last point is {@code end} itself.
     */
    List<TimedObservation> history(PromQlQuery query, Reduce reduce, Instant end, Duration window)
            throws SourceException {
        Grid grid = grid(window, end);
        return range(query, reduce, grid.start(), end, grid.step());
    }

    /** The steps of a history over {@code window} before {@code end}: from {@code start}, {@code steps} of {@code step}. */
    private record Grid(Instant start, Duration step, long steps) {
    }

    private Grid grid(Duration window, Instant end) {
        Duration step = gridStep(window);
        long steps = Math.max(1, ceilDiv(window.toMillis(), step.toMillis()));
        return new Grid(end.minus(step.multipliedBy(steps)), step, steps);
    }

    /**
     * A PromQL query over {@code [start, end]} as one observation per {@code step} from {@code start} (a step with no
     * series is {@link Observation.NoData}), reduced over the series like an instant read. The caller bounds the
     * number of steps (at most {@link #MAX_RANGE_POINTS}).
     */
    @Override
    public List<TimedObservation> range(SignalQuery query, Reduce reduce, Instant start, Instant end,
            Duration step) throws SourceException {
        PromQlQuery promQl = promQl(query);
        long steps = Duration.between(start, end).toMillis() / step.toMillis();
        if (steps > MAX_RANGE_POINTS) {
            throw new IllegalArgumentException(steps + " steps asked of one range query; at most " + MAX_RANGE_POINTS);
        }
        return points(withPermit(() -> prometheus.queryRange(promQl.query(), start, end, step)), reduce, start, steps,
                step);
    }

    /**
     * {@code series} as one observation per {@code step} from {@code start}, {@code steps} steps on (a step with no
     * series is {@link Observation.NoData}), reduced over the series at each step.
     */
    private static List<TimedObservation> points(List<Series> series, Reduce reduce, Instant start, long steps,
            Duration step) {
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

    Duration gridStep(Duration window) {
        long minStepMillis = ceilDiv(window.toMillis(), MAX_RANGE_POINTS);
        return backfillStep.toMillis() >= minStepMillis ? backfillStep : Duration.ofMillis(minStepMillis);
    }

    /** {@code query} as PromQL; a query of another kind is a caller's mistake. */
    static PromQlQuery promQl(SignalQuery query) {
        if (query instanceof PromQlQuery promQl) {
            return promQl;
        }
        throw new IllegalArgumentException("the " + KIND + " source reads PromQL, not a " + query.kind() + " query: "
                + query.describe());
    }

    /** A call to Prometheus that may fail. */
    @FunctionalInterface
    private interface SourceCall<T> {
        T call() throws SourceException;
    }

    private <T> T withPermit(SourceCall<T> call) throws SourceException {
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
