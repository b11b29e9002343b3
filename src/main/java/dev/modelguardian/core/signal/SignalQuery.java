package dev.modelguardian.core.signal;

/**
 * What to read for a signal, per source: each metric source defines its own query record in its integration folder
 * (a PromQL expression, a scraped metric and its labels, ...), built from a signal's keys by its provider. Records,
 * so that two signals with equal queries share a read and a replay can tell scripted signals apart by their query.
 */
public interface SignalQuery {

    /** Short text for tables and logs. */
    String describe();

    /** The {@link MetricSource#kind() kind} of source that reads this query, as a signal's {@code source} key names it. */
    String kind();
}
