package dev.modelguardian.core.signal;

/**
 * What one read of a signal saw: a value, nothing at all, or a failure of the source.
 *
 * <p>Only {@link Value} with a finite number can make a signal healthy or breach it; NaN, infinite values, no data
 * and source errors are inconclusive.
 */
public sealed interface Observation {

    /** A value reduced from {@code series} series (NaN when every series was NaN). */
    record Value(double value, int series) implements Observation {
        public Value(double value) {
            this(value, 1);
        }
    }

    /** The query succeeded and returned no series. */
    record NoData() implements Observation {
    }

    /** The source could not answer: unreachable, timed out, or answered with an error. */
    record SourceError(String message) implements Observation {
    }

    static Observation of(double value) {
        return new Value(value);
    }

    static Observation noData() {
        return new NoData();
    }

    static Observation error(String message) {
        return new SourceError(message);
    }
}
