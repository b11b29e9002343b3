package dev.modelguardian.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.modelguardian.policy.Reduce;

/**
 * Where the policy engine reads signal values: Prometheus and the scrape source in production ({@link SignalReader}),
 * a scripted scenario on a virtual clock in {@code replay}. Reads never throw for a failed source except where
 * declared; a failure is an {@link Observation.SourceError}.
 */
public interface Signals {

    /** The value of a PromQL query at {@code at}, reduced over its series. */
    Observation instant(SignalQuery.PromQl query, Reduce reduce, Instant at);

    /**
     * The history of a PromQL query over {@code window} before {@code end}, one observation per grid step (a step
     * with no series is {@link Observation.NoData}); the last point is {@code end} itself.
     */
    List<TimedObservation> history(SignalQuery.PromQl query, Reduce reduce, Instant end, Duration window)
            throws SourceException;

    /** One read of the scrape source, shared by every scrape signal of a cycle. */
    ScrapeParseResult scrapeOnce() throws SourceException;
}
