package dev.modelguardian.core.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads what a query returned over a past period, one evaluation per step: the recorded history a replay evaluates
 * again ({@code replay --prometheus}). A port: the Prometheus integration answers it with range queries.
 */
public interface SignalRange {

    /** Most steps one read may span, whatever answers it (Prometheus refuses more than 11,000 points). */
    int MAX_POINTS = 10_000;

    /** The kind of the queries this reads, as {@link SignalQuery#kind()} names it; other signals have no range here. */
    String kind();

    /**
     * {@code query} over {@code [start, end]} as one observation per {@code step} from {@code start} (a step with
     * no series is {@link Observation.NoData}), reduced over the series like an instant read.
     *
     * @throws SourceException          when the read fails
     * @throws IllegalArgumentException when the period spans more than {@link #MAX_POINTS} steps, or the query is
     *                                  not one this source reads
     */
    List<TimedObservation> range(SignalQuery query, Reduce reduce, Instant start, Instant end, Duration step)
            throws SourceException;
}
