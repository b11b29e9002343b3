package dev.modelguardian.app.replay;

import java.time.Duration;

import dev.modelguardian.core.signal.Observation;

/**
 * A stretch of a scripted signal, from {@code at} (offset from the scenario start) until the next segment.
 */
public sealed interface Segment {

    /** Offset from the scenario start at which this segment begins. */
    Duration at();

    /** A constant value. */
    record Constant(Duration at, double value) implements Segment {
    }

    /** A straight line from {@code from} at the segment start to {@code to} at the next segment's start. */
    record Ramp(Duration at, double from, double to) implements Segment {
    }

    /** The query returns no series (a scrape gap, a dead exporter). */
    record Gap(Duration at) implements Segment {
    }

    /** The series exists but its value is NaN. */
    record NaN(Duration at) implements Segment {
    }

    /**
     * What a recorded history (a Prometheus range query) read at {@code at}, held until the next segment: a value,
     * no data, or a failure, exactly as the live read would have seen it.
     */
    record Recorded(Duration at, Observation observation) implements Segment {
    }

    /** The source fails with this message. */
    record SourceError(Duration at, String message) implements Segment {
    }
}
