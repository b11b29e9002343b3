package dev.modelguardian.testing;

import dev.modelguardian.core.signal.SignalQuery;

/**
 * A query of any kind, for tests of the core: it needs a query to read, not an integration's. A record, like every
 * source's own, so that equal queries share a read.
 *
 * @param kind     the kind of source that reads it
 * @param describe the query's text
 */
public record Query(String kind, String describe) implements SignalQuery {

    /** A query of the {@code prometheus} kind, e.g. {@code max(mae)}. */
    public static Query promql(String text) {
        return new Query("prometheus", text);
    }

    /** A query of the {@code scrape} kind: a metric name, without labels. */
    public static Query scrape(String metric) {
        return new Query("scrape", metric);
    }
}
