package dev.modelguardian.core.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jboss.logging.Logger;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.core.signal.TimedObservation;

/**
 * One evaluation cycle over every policy: observe (through the {@link MetricSources}, each signal from the source of
 * its kind, one {@link MetricSource.Cycle} per source and cycle, each distinct query read once: {@link SharedReads},
 * and told up front which it will read, so that a source may answer several in one request), decide (through the
 * pure {@link PolicyEvaluator}), record (into the {@link PolicyStateStore}).
 *
 * <p>A policy the store knows nothing about and whose {@code for} is not zero is backfilled from its source's history
 * over its {@code for} window, so neither a restart nor a one-shot {@code check} waits another {@code for} to see a
 * breach that has already held; a source that keeps no history is read at the present instead.
 */
public final class PolicyEngine {

    private static final Logger LOG = Logger.getLogger(PolicyEngine.class);

    private final MetricSources sources;
    private final Clock clock;

    public PolicyEngine(MetricSources sources, Clock clock) {
        this.sources = sources;
        this.clock = clock;
    }

    /** Evaluates every policy once, in the order given, and saves the new statuses. */
    public List<Evaluation> evaluate(List<Policy> policies, PolicyStateStore store) {
        Instant now = clock.instant();
        Map<String, PolicyStatus> previous = store.load();
        List<Evaluation> results = new ArrayList<>(policies.size());
        Map<String, MetricSource.Cycle> cycles = policies.isEmpty() ? Map.of()
                : sources.open(policies.stream().map(p -> p.query().kind()).distinct().toList(), now);
        // Signals that share a query share its read.
        Map<String, MetricSource.Cycle> shared = new java.util.HashMap<>();
        cycles.forEach((kind, cycle) -> shared.put(kind, new SharedReads(cycle)));
        // Each source learns up front what it will be read at the instant and what histories it will be asked for
        // (the backfills), so it can answer several reads at once.
        Map<String, Set<SignalQuery>> instantReads = new LinkedHashMap<>();
        Map<String, Set<MetricSource.HistoryRead>> historyReads = new LinkedHashMap<>();
        for (Policy policy : policies) {
            if (!backfills(policy, previous.get(policy.key()))) {
                instantReads.computeIfAbsent(policy.query().kind(), k -> new LinkedHashSet<>()).add(policy.query());
            } else {
                historyReads.computeIfAbsent(policy.query().kind(), k -> new LinkedHashSet<>())
                        .add(new MetricSource.HistoryRead(policy.query(), policy.forDuration()));
            }
        }
        instantReads.forEach((kind, reads) -> hint(kind, reads.size(), "reads", () -> shared.get(kind).plan(reads)));
        historyReads.forEach((kind, reads) -> hint(kind, reads.size(), "histories",
                () -> shared.get(kind).planHistories(reads)));
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Evaluation>> futures = new ArrayList<>(policies.size());
            for (Policy policy : policies) {
                PolicyStatus known = previous.get(policy.key());
                MetricSource.Cycle cycle = shared.get(policy.query().kind());
                futures.add(executor.submit(() -> evaluateOne(policy, known, cycle, now)));
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

    /** Gives a source a planning hint; a source that cannot take it still answers each read, one by one. */
    private static void hint(String kind, int count, String what, Runnable plan) {
        try {
            plan.run();
        } catch (RuntimeException e) {
            LOG.warnf("The %s source could not plan its %d %s of this cycle (%s); they are read one by one", kind,
                    count, what, e);
            LOG.debug("Planning failed", e);
        }
    }

    private Evaluation evaluateOne(Policy policy, PolicyStatus known, MetricSource.Cycle cycle, Instant now) {
        long started = System.nanoTime();
        PolicyStatus status = backfills(policy, known) ? backfill(policy, cycle, now)
                : PolicyEvaluator.evaluate(policy, startFrom(known, now), cycle.read(policy.query(), policy.reduce()), now);
        return new Evaluation(policy, status, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Whether the policy starts from its source's history over its {@code for} (new to the store) or reads now. */
    private static boolean backfills(Policy policy, PolicyStatus known) {
        return known == null && !policy.forDuration().isZero();
    }

    private PolicyStatus backfill(Policy policy, MetricSource.Cycle cycle, Instant now) {
        try {
            return switch (cycle.history(policy.query(), policy.reduce(), policy.forDuration())) {
                case MetricSource.History.Points(List<TimedObservation> history) -> {
                    PolicyStatus status = PolicyEvaluator.replay(policy, PolicyStatus.unknown(history.getFirst().at()),
                            history);
                    if (status.state() == PolicyState.PENDING || status.state() == PolicyState.FIRING) {
                        LOG.debugf("Backfilled %s over %s: %s since %s", policy.key(),
                                Durations.format(policy.forDuration()), status.state(),
                                status.breachSince().orElse(status.since()));
                    }
                    yield status;
                }
                case MetricSource.History.NotKept notKept -> PolicyEvaluator.evaluate(policy,
                        PolicyStatus.unknown(now), cycle.read(policy.query(), policy.reduce()), now);
            };
        } catch (SourceException e) {
            return PolicyEvaluator.evaluate(policy, PolicyStatus.unknown(now), Observation.error(e.getMessage()), now);
        }
    }

    private static PolicyStatus startFrom(PolicyStatus known, Instant now) {
        return known != null ? known : PolicyStatus.unknown(now);
    }
}
