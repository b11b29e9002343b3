package dev.modelguardian.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jboss.logging.Logger;

import dev.modelguardian.signal.Observation;
import dev.modelguardian.signal.ScrapeParseResult;
import dev.modelguardian.signal.SignalQuery;
import dev.modelguardian.signal.SignalReader;
import dev.modelguardian.signal.Signals;
import dev.modelguardian.signal.SourceException;
import dev.modelguardian.signal.TimedObservation;

/**
 * One evaluation cycle over every policy: observe (through {@link Signals}: Prometheus and the scrape source, or a
 * replayed scenario), decide (through the pure {@link PolicyEvaluator}), record (into the {@link PolicyStateStore}).
 *
 * <p>A policy the store knows nothing about and whose {@code for} is not zero is backfilled from a range query over
 * its {@code for} window, so neither a restart nor a one-shot {@code check} waits another {@code for} to see a breach
 * that has already held.
 */
public final class PolicyEngine {

    private static final Logger LOG = Logger.getLogger(PolicyEngine.class);

    private final Signals reader;
    private final Clock clock;

    public PolicyEngine(Signals reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    /** Evaluates every policy once, in the order given, and saves the new statuses. */
    public List<Evaluation> evaluate(List<Policy> policies, PolicyStateStore store) {
        Instant now = clock.instant();
        Map<String, PolicyStatus> previous = store.load();
        List<Evaluation> results = new ArrayList<>(policies.size());
        ScrapeOutcome scraped = scrapeIfNeeded(policies);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Evaluation>> futures = new ArrayList<>(policies.size());
            for (Policy policy : policies) {
                PolicyStatus known = previous.get(policy.key());
                futures.add(executor.submit(() -> evaluateOne(policy, known, scraped, now)));
            }
            for (Future<Evaluation> future : futures) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
        }
        Map<String, PolicyStatus> updated = new LinkedHashMap<>();
        results.forEach(r -> updated.put(r.policy().key(), r.status()));
        store.save(updated);
        return results;
    }

    private Evaluation evaluateOne(Policy policy, PolicyStatus known, ScrapeOutcome scraped, Instant now) {
        long started = System.nanoTime();
        PolicyStatus status = switch (policy.query()) {
            case SignalQuery.PromQl promql when known == null && !policy.forDuration().isZero() ->
                backfill(policy, promql, now);
            case SignalQuery.PromQl promql -> PolicyEvaluator.evaluate(policy, startFrom(known, now),
                    reader.instant(promql, policy.reduce(), now), now);
            case SignalQuery.Scrape scrape -> PolicyEvaluator.evaluate(policy, startFrom(known, now),
                    scraped.select(scrape, policy.reduce()), now);
        };
        return new Evaluation(policy, status, Duration.ofNanos(System.nanoTime() - started));
    }

    private PolicyStatus backfill(Policy policy, SignalQuery.PromQl query, Instant now) {
        try {
            List<TimedObservation> history = reader.history(query, policy.reduce(), now, policy.forDuration());
            PolicyStatus status = PolicyEvaluator.replay(policy, PolicyStatus.unknown(history.getFirst().at()), history);
            if (status.state() == PolicyState.PENDING || status.state() == PolicyState.FIRING) {
                LOG.debugf("Backfilled %s over %s: %s since %s", policy.key(), Durations.format(policy.forDuration()),
                        status.state(), status.breachSince().orElse(status.since()));
            }
            return status;
        } catch (SourceException e) {
            return PolicyEvaluator.evaluate(policy, PolicyStatus.unknown(now), Observation.error(e.getMessage()), now);
        }
    }

    private static PolicyStatus startFrom(PolicyStatus known, Instant now) {
        return known != null ? known : PolicyStatus.unknown(now);
    }

    private ScrapeOutcome scrapeIfNeeded(List<Policy> policies) {
        boolean any = policies.stream().anyMatch(p -> p.query() instanceof SignalQuery.Scrape);
        if (!any) {
            return new ScrapeOutcome(null, null);
        }
        try {
            return new ScrapeOutcome(reader.scrapeOnce(), null);
        } catch (SourceException e) {
            return new ScrapeOutcome(null, e.getMessage());
        }
    }

    /** The cycle's single scrape, or why it failed. */
    private record ScrapeOutcome(ScrapeParseResult result, String error) {
        Observation select(SignalQuery.Scrape query, Reduce reduce) {
            return result == null ? Observation.error(error) : SignalReader.select(result, query, reduce);
        }
    }
}
