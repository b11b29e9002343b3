package dev.modelguardian.core.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a replay scripts for every signal, by the signal's query, at any virtual instant. Each metric source reads it
 * through its scripted form (the configuration's {@code SourceProvider.scripted}), so that a replay exercises the
 * source's own selection and failure rules where it has them, and a new source becomes replayable in its own folder.
 */
public interface ScriptedSignals {

    /** What {@code query} reads at {@code at}; {@link Observation.NoData} for a query the script does not know. */
    Observation read(SignalQuery query, Instant at);

    /** The virtual time between two points of the script: a scripted history has one point per step. */
    Duration step();

    /** Every query the script knows, in the order of the policies that read them. */
    List<SignalQuery> queries();

    /** What {@code query} read over {@code window} up to {@code end}: one point per {@link #step()}, oldest first. */
    default List<TimedObservation> history(SignalQuery query, Instant end, Duration window) {
        long steps = Math.max(1, window.toMillis() / step().toMillis());
        List<TimedObservation> points = new ArrayList<>((int) steps + 1);
        for (long i = steps; i >= 0; i--) {
            Instant at = end.minus(step().multipliedBy(i));
            points.add(new TimedObservation(at, read(query, at)));
        }
        return points;
    }
}
