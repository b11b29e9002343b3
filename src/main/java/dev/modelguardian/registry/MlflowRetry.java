package dev.modelguardian.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Repeats an MLflow call that failed with a {@linkplain MlflowException#retryable() retryable} error (connection
 * error, timeout, 5xx) up to {@code retries} times, waiting {@code backoff}, then twice that, four times that... (at
 * most {@link #MAX_WAIT}), each wait plus a random jitter of up to half of it. A 4xx answer fails at once.
 *
 * <p>A plain loop rather than SmallRye Fault Tolerance's {@code Guard}: in Quarkus that API is served by the CDI
 * container, while this client is built from configuration with {@code MlflowRegistry.create} and must work (and be
 * tested) without one; the whole policy is this one class.
 */
final class MlflowRetry {

    /** The longest single wait, whatever the backoff and the attempt. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(MlflowRetry.class);

    /** Waits; tests replace it to observe the waits without spending them. */
    interface Sleeper {
        void sleep(Duration wait) throws InterruptedException;
    }

    private final int retries;
    private final Duration backoff;
    private final Sleeper sleeper;

    MlflowRetry(int retries, Duration backoff) {
        this(retries, backoff, wait -> Thread.sleep(wait.toMillis()));
    }

    MlflowRetry(int retries, Duration backoff, Sleeper sleeper) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        this.retries = retries;
        this.backoff = backoff.isNegative() ? Duration.ZERO : backoff;
        this.sleeper = sleeper;
    }

    <T> T call(String call, Supplier<T> attempt) {
        for (int retry = 0;; retry++) {
            try {
                return attempt.get();
            } catch (MlflowException e) {
                if (!e.retryable() || retry >= retries) {
                    throw retry == 0 ? e : e.afterAttempts(retry + 1);
                }
                Duration wait = wait(retry);
                LOG.warnf("%s; retry %d of %d in %d ms", e.getMessage(), retry + 1, retries, wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The wait before retry number {@code retry + 1}: backoff x 2^retry, capped, plus up to half of it as jitter. */
    Duration wait(int retry) {
        long base = backoff.toMillis();
        long exponential = retry >= 30 ? MAX_WAIT.toMillis()
                : Math.min(MAX_WAIT.toMillis(), base * (1L << retry));
        long jitter = exponential / 2 == 0 ? 0 : ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        return Duration.ofMillis(Math.min(MAX_WAIT.toMillis(), exponential + jitter));
    }
}
