package dev.modelguardian.core.policy;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SourceException;

/**
 * A cycle that reads each query once: signals that share a query and its reduction (a warning and a critical bound on
 * the same MAE, the same drift score watched by two targets) share one answer within the cycle, however many policies
 * ask and however concurrently. Histories are shared the same way, by query, reduction and window (the backfills of a
 * warning and a critical bound on one signal with one {@code for}); breakdowns are read as asked.
 */
final class SharedReads implements MetricSource.Cycle {

    private record Read(SignalQuery query, Reduce reduce) {
    }

    private record AskedHistory(SignalQuery query, Reduce reduce, Duration window) {
    }

    private final MetricSource.Cycle delegate;
    private final ConcurrentHashMap<Read, CompletableFuture<Observation>> reads = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AskedHistory, CompletableFuture<MetricSource.History>> histories =
            new ConcurrentHashMap<>();

    SharedReads(MetricSource.Cycle delegate) {
        this.delegate = delegate;
    }

    @Override
    public Observation read(SignalQuery query, Reduce reduce) {
        try {
            return once(reads, new Read(query, reduce), () -> delegate.read(query, reduce));
        } catch (SourceException e) {
            // Unreachable: a read answers its source's failure as an observation.
            throw new IllegalStateException("a read threw " + e.getMessage(), e);
        }
    }

    /** A call to the source that may fail. */
    @FunctionalInterface
    private interface Ask<T> {
        T ask() throws SourceException;
    }

    /**
     * {@code ask}'s answer, asked by the first caller with {@code key}; later callers, concurrent or not, wait for it
     * and get it, or the first caller's failure.
     */
    private static <K, T> T once(ConcurrentHashMap<K, CompletableFuture<T>> asked, K key, Ask<T> ask)
            throws SourceException {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> first = asked.putIfAbsent(key, mine);
        if (first != null) {
            try {
                return first.join();
            } catch (java.util.concurrent.CompletionException e) {
                // The first asker's failure: the source's (a SourceException), or a bug.
                if (e.getCause() instanceof SourceException failed) {
                    throw new SourceException(failed.getMessage(), failed);
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            T answer = ask.ask();
            mine.complete(answer);
            return answer;
        } catch (SourceException | RuntimeException | Error e) {
            // Whatever ends the first ask ends the ones waiting on it: none may wait forever.
            mine.completeExceptionally(e);
            throw e;
        }
    }

    @Override
    public void plan(Collection<? extends SignalQuery> reads) {
        delegate.plan(reads);
    }

    @Override
    public void planHistories(Collection<MetricSource.HistoryRead> reads) {
        delegate.planHistories(reads);
    }

    @Override
    public MetricSource.History history(SignalQuery query, Reduce reduce, Duration window) throws SourceException {
        return once(histories, new AskedHistory(query, reduce, window), () -> delegate.history(query, reduce, window));
    }

    @Override
    public MetricSource.Breakdown breakdown(SignalQuery query, String label, Duration window) throws SourceException {
        return delegate.breakdown(query, label, window);
    }
}
