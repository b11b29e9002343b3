package dev.modelguardian.core.signal;

import java.time.Instant;

/** An observation and the instant it describes. */
public record TimedObservation(Instant at, Observation observation) {
}
