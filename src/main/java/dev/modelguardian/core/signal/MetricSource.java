package dev.modelguardian.core.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Where signal values come from: a query or selector in, {@link Observation}s out. Which system answers, and how its
 * queries are written, is the source's business: the policy engine only names the source's {@link #kind()} (the
 * {@code source} key of a signal, e.g. {@code prometheus} or {@code scrape}) and hands over the signal's
 * {@link SignalQuery}.
 *
 * <p>Reads happen in {@link Cycle}s: one per evaluation, opened at the instant it evaluates, so a source that fetches
 * everything at once (the scrape source) fetches once for all its signals of that cycle. A cycle's reads never throw
 * for a failed source: a failure is an {@link Observation.SourceError}; only {@link Cycle#history} declares
 * {@link SourceException}, since a failed history has no observation to carry it.
 */
public interface MetricSource {

    /** The name signals use to select this source, e.g. {@code prometheus}; matches {@link SignalQuery#kind()}. */
    String kind();

    /**
     * Opens the reads of one evaluation cycle at {@code at}. Called once per cycle, and only when some signal of the
     * cycle reads this source; never throws (a source that cannot answer answers every read with an error).
     */
    Cycle open(Instant at);

    /** The reads of one evaluation cycle, all at the instant the cycle was opened at. Thread-safe. */
    interface Cycle {

        /**
         * The value of {@code query} at the cycle's instant, reduced over its series.
         *
         * @throws IllegalArgumentException if {@code query} is not of this source's kind
         */
        Observation read(SignalQuery query, Reduce reduce);

        /**
         * Tells the cycle, before its first read, which queries it will be asked to {@link #read}, so that
         * a source can answer several in one request (Prometheus: signals that differ only by their labels' values).
         * A hint, never a promise: a query read without being named here is still answered. The default does nothing.
         */
        default void plan(Collection<? extends SignalQuery> reads) {
        }

        /**
         * Tells the cycle, before its first {@link #history}, which histories it will be asked for, so that a source
         * can answer several in one request (Prometheus: one range query for signals that differ only by their labels'
         * values and share a window). A hint, as {@link #plan} is. The default does nothing.
         */
        default void planHistories(Collection<HistoryRead> reads) {
        }

        /**
         * The history of {@code query} over {@code window} before the cycle's instant, one observation per step of the
         * source's grid (a step with no series is {@link Observation.NoData}), the last point being the cycle's
         * instant; or {@link History.NotKept} when this source keeps no history.
         *
         * @throws SourceException          if the source could not answer
         * @throws IllegalArgumentException if {@code query} is not of this source's kind
         */
        History history(SignalQuery query, Reduce reduce, Duration window) throws SourceException;

        /**
         * The series of {@code query} split by {@code label} over {@code window} before the cycle's instant: one series
         * per value of the label (the post-mortem's inputs that moved most), or {@link Breakdown.NotKept} when this
         * source cannot split a signal (the default: it keeps no history, or no labels).
         *
         * @throws SourceException          if the source could not answer
         * @throws IllegalArgumentException if {@code query} is not of this source's kind
         */
        default Breakdown breakdown(SignalQuery query, String label, Duration window) throws SourceException {
            return new Breakdown.NotKept("the " + query.kind() + " source cannot split a signal by label");
        }
    }

    /** A history a cycle will be asked for ({@link Cycle#planHistories}): {@code query} over {@code window}. */
    record HistoryRead(SignalQuery query, Duration window) {

        public HistoryRead {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(window, "window");
        }
    }

    /** What a source answered when asked to split a signal by a label. */
    sealed interface Breakdown {

        /** One series per value of the label ({@link Series#labels()} holds it), over the window asked. */
        record Split(String label, List<Series> series) implements Breakdown {
            public Split {
                series = List.copyOf(series);
            }
        }

        /** The source cannot split this signal; {@code why} says why, for the reader of the post-mortem. */
        record NotKept(String why) implements Breakdown {
        }
    }

    /** What a source answered when asked for history. */
    sealed interface History {

        /** The observations over the window asked, oldest first. */
        record Points(List<TimedObservation> points) implements History {
            public Points {
                points = List.copyOf(points);
                if (points.isEmpty()) {
                    throw new IllegalArgumentException("a history has at least the point of the cycle's instant");
                }
            }
        }

        /** The source has no history to give (e.g. a scrape sees only the present). */
        record NotKept() implements History {
        }
    }

    /**
     * A source of {@code kind} that cannot answer at all, e.g. because its URL is not configured: every read is an
     * {@link Observation.SourceError} with {@code reason}, every history and breakdown a {@link SourceException} with it.
     */
    static MetricSource unavailable(String kind, String reason) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Cycle cycle = new Cycle() {
            @Override
            public Observation read(SignalQuery query, Reduce reduce) {
                return Observation.error(reason);
            }

            @Override
            public History history(SignalQuery query, Reduce reduce, Duration window) throws SourceException {
                throw new SourceException(reason);
            }

            @Override
            public Breakdown breakdown(SignalQuery query, String label, Duration window) throws SourceException {
                throw new SourceException(reason);
            }
        };
        return new MetricSource() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public Cycle open(Instant at) {
                return cycle;
            }
        };
    }
}
