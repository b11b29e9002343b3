package dev.modelguardian.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How long to wait after a failure: {@code initial} after the first, multiplied by {@code multiplier} after each
 * further one, never more than {@code max}, then spread by the {@code jitter}. A hint from the failure (e.g. the
 * {@code Retry-After} a server sent) makes the wait at least that long, but never longer than {@code max}.
 * Millisecond precision.
 *
 * @param initial    the wait after the first failure, before jitter; zero or more
 * @param max        the longest wait, whatever the attempt, the jitter or a hint; zero or more
 * @param multiplier the growth per further failure; 1 or more (2 doubles)
 * @param jitter     how the computed wait is spread at random
 */
public record Backoff(Duration initial, Duration max, double multiplier, Jitter jitter) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(jitter, "jitter");
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("backoff initial " + initial + " and max " + max
                    + " must not be negative");
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1, not " + multiplier);
        }
    }

    /** Doubling from {@code initial} up to {@code max}, spread by {@code jitter}. */
    public static Backoff doubling(Duration initial, Duration max, Jitter jitter) {
        return new Backoff(initial, max, 2, jitter);
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first failure); zero for 0 or less. */
    public Duration delay(int attempt) {
        return delay(attempt, Optional.empty(), ThreadLocalRandom.current());
    }

    /**
     * The wait after failed attempt number {@code attempt} (1 for the first failure; zero for 0 or less), at least
     * {@code hint} (up to {@link #max()}), with the jitter drawn from {@code random}.
     */
    public Duration delay(int attempt, Optional<Duration> hint, RandomGenerator random) {
        if (attempt <= 0) {
            return Duration.ZERO;
        }
        long maxMillis = max.toMillis();
        long ceiling = ceilingMillis(attempt, maxMillis);
        long wait = switch (jitter) {
            case NONE -> ceiling;
            case EQUAL -> ceiling / 2 + random.nextLong(ceiling / 2 + 1);
            case UP_TO_HALF_MORE -> Math.min(maxMillis, ceiling + random.nextLong(ceiling / 2 + 1));
        };
        if (hint.isPresent() && !hint.get().isNegative()) {
            wait = Math.max(wait, Math.min(maxMillis, hint.get().toMillis()));
        }
        return Duration.ofMillis(wait);
    }

    /** {@code initial x multiplier^(attempt-1)}, at most {@code max}, before jitter. */
    private long ceilingMillis(int attempt, long maxMillis) {
        long initialMillis = initial.toMillis();
        if (initialMillis == 0) {
            return 0;
        }
        double exponential = initialMillis * Math.pow(multiplier, attempt - 1);
        return exponential >= maxMillis ? maxMillis : (long) exponential;
    }
}
