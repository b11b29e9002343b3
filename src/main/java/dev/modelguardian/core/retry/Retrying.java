package dev.modelguardian.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs an action until it returns, waiting the {@link Backoff} between attempts. A failure is retried only when it is
 * an instance of the retryable type {@code R} (decided by type, never by message text); any other failure ends the
 * run at once, as does an interruption. At most {@code maxAttempts} attempts, and, with a maximum duration, no further
 * attempt once that much time has passed since the first one started (checked before and after each wait). Each
 * retryable failure may carry a hint (e.g. {@code Retry-After}) that lengthens its wait.
 *
 * <p>Immutable and thread-safe: one instance serves any number of concurrent runs. The {@code with...} methods
 * return a changed copy. Sleeping, the clock and the random source are injectable, so tests neither sleep nor depend
 * on chance.
 *
 * @param <R> the failures worth another attempt
 */
public final class Retrying<R extends Exception> {

    /** One attempt of the action. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /** Waits between attempts; tests replace it to see the waits without spending them. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration wait) throws InterruptedException;

        /** {@link Thread#sleep(Duration)}. */
        static Sleeper thread() {
            return Thread::sleep;
        }
    }

    /** Told before each wait: which attempt failed with what, and how long the wait before the next one is. */
    @FunctionalInterface
    public interface BeforeRetry<R> {
        void retrying(R failure, int failedAttempt, Duration wait);
    }

    private final Class<R> retryable;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Optional<Duration> maxDuration;
    private final Function<? super R, Optional<Duration>> hint;
    private final BeforeRetry<? super R> beforeRetry;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final Supplier<? extends RandomGenerator> random;

    private Retrying(Class<R> retryable, int maxAttempts, Backoff backoff, Optional<Duration> maxDuration,
            Function<? super R, Optional<Duration>> hint, BeforeRetry<? super R> beforeRetry, Sleeper sleeper,
            LongSupplier nanoTime, Supplier<? extends RandomGenerator> random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, not " + maxAttempts);
        }
        this.retryable = Objects.requireNonNull(retryable, "retryable");
        this.maxAttempts = maxAttempts;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration");
        this.hint = Objects.requireNonNull(hint, "hint");
        this.beforeRetry = Objects.requireNonNull(beforeRetry, "beforeRetry");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Retries failures of type {@code retryable}, at most {@code maxAttempts} attempts in all (the first included),
     * waiting {@code backoff} between them; no deadline, no hint, real sleeping.
     */
    public static <R extends Exception> Retrying<R> on(Class<R> retryable, int maxAttempts, Backoff backoff) {
        return new Retrying<>(retryable, maxAttempts, backoff, Optional.empty(), failure -> Optional.empty(),
                (failure, attempt, wait) -> {
                }, Sleeper.thread(), System::nanoTime, ThreadLocalRandom::current);
    }

    /** No attempt after {@code maxDuration} has passed since the first attempt started. */
    public Retrying<R> withMaxDuration(Duration maxDuration) {
        return new Retrying<>(retryable, maxAttempts, backoff, Optional.of(maxDuration), hint, beforeRetry, sleeper,
                nanoTime, random);
    }

    /** A wait at least as long as the failure asks (up to the backoff's maximum), e.g. its {@code Retry-After}. */
    public Retrying<R> withHint(Function<? super R, Optional<Duration>> hint) {
        return new Retrying<>(retryable, maxAttempts, backoff, maxDuration, hint, beforeRetry, sleeper, nanoTime,
                random);
    }

    /** Calls {@code beforeRetry} before each wait (to log or count it). */
    public Retrying<R> withBeforeRetry(BeforeRetry<? super R> beforeRetry) {
        return new Retrying<>(retryable, maxAttempts, backoff, maxDuration, hint, beforeRetry, sleeper, nanoTime,
                random);
    }

    /** Waits with {@code sleeper} instead of {@link Thread#sleep}. */
    public Retrying<R> withSleeper(Sleeper sleeper) {
        return new Retrying<>(retryable, maxAttempts, backoff, maxDuration, hint, beforeRetry, sleeper, nanoTime,
                random);
    }

    /** Measures the maximum duration with {@code nanoTime} (monotonic nanoseconds) instead of {@link System#nanoTime}. */
    public Retrying<R> withNanoTime(LongSupplier nanoTime) {
        return new Retrying<>(retryable, maxAttempts, backoff, maxDuration, hint, beforeRetry, sleeper, nanoTime,
                random);
    }

    /** Draws the jitter from {@code random} (called once per wait) instead of {@link ThreadLocalRandom}. */
    public Retrying<R> withRandom(Supplier<? extends RandomGenerator> random) {
        return new Retrying<>(retryable, maxAttempts, backoff, maxDuration, hint, beforeRetry, sleeper, nanoTime,
                random);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Backoff backoff() {
        return backoff;
    }

    /**
     * Runs {@code attempt} until it returns or a failure ends the run. An attempt's exception is returned in the
     * {@link Outcome}, never thrown; an {@link Error} is not caught.
     */
    public <T> Outcome<T> run(Attempt<T> attempt) {
        long start = nanoTime.getAsLong();
        for (int attempts = 1;; attempts++) {
            Exception failure;
            try {
                return new Outcome.Success<>(attempt.run(), attempts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Failure<>(e, attempts, Outcome.Reason.INTERRUPTED);
            } catch (Exception e) {
                failure = e;
            }
            if (!retryable.isInstance(failure)) {
                return new Outcome.Failure<>(failure, attempts, Outcome.Reason.NOT_RETRYABLE);
            }
            if (attempts >= maxAttempts) {
                return new Outcome.Failure<>(failure, attempts, Outcome.Reason.ATTEMPTS_EXHAUSTED);
            }
            if (deadlinePassed(start)) {
                return new Outcome.Failure<>(failure, attempts, Outcome.Reason.DEADLINE_REACHED);
            }
            R retry = retryable.cast(failure);
            Duration wait = backoff.delay(attempts, hint.apply(retry), random.get());
            beforeRetry.retrying(retry, attempts, wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Failure<>(failure, attempts, Outcome.Reason.INTERRUPTED);
            }
            if (deadlinePassed(start)) {
                return new Outcome.Failure<>(failure, attempts, Outcome.Reason.DEADLINE_REACHED);
            }
        }
    }

    private boolean deadlinePassed(long start) {
        return maxDuration.isPresent() && nanoTime.getAsLong() - start >= maxDuration.get().toNanos();
    }

    @Override
    public String toString() {
        return "Retrying[" + retryable.getSimpleName() + ", at most " + maxAttempts + " attempts"
                + maxDuration.map(d -> " within " + d).orElse("") + ", " + backoff + "]";
    }
}
