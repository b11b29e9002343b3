package dev.modelguardian.integrations.prometheus;

import dev.modelguardian.core.signal.SignalQuery;

/**
 * An instant PromQL query against the Prometheus HTTP API: what a signal with {@code source: prometheus} (the
 * default) reads.
 *
 * @param query the PromQL expression, as the signal's {@code query} key writes it
 */
public record PromQlQuery(String query) implements SignalQuery {

    /** The {@code source} of a signal read by PromQL. */
    public static final String KIND = "prometheus";

    @Override
    public String describe() {
        return query;
    }

    @Override
    public String kind() {
        return KIND;
    }
}
