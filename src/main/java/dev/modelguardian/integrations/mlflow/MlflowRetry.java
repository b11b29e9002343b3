package dev.modelguardian.integrations.mlflow;

import java.time.Duration;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.modelguardian.core.retry.Backoff;
import dev.modelguardian.core.retry.Jitter;
import dev.modelguardian.core.retry.Outcome;
import dev.modelguardian.core.retry.Retrying;

/**
 * Repeats an MLflow call that failed with a {@linkplain MlflowException.Retryable retryable} error (connection error,
 * timeout, 5xx) up to {@code retries} times, waiting {@code backoff}, then twice that, four times that... (at most
 * {@link #MAX_WAIT}), each wait plus a random jitter of up to half of it. A 4xx answer fails at once.
 *
 * <p>The MLflow policy of the guardian's one retry abstraction ({@link Retrying} with a {@link Backoff} of
 * {@link Jitter#UP_TO_HALF_MORE}): framework-free, because this client is built from configuration with
 * {@code MlflowRegistry.create} and must work (and be tested) without a CDI container.
 */
final class MlflowRetry {

    /** The longest single wait, whatever the backoff and the attempt. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(MlflowRetry.class);

    private final int retries;
    private final Retrying<MlflowException.Retryable> retrying;

    MlflowRetry(int retries, Duration backoff) {
        this(retries, backoff, Retrying.Sleeper.thread());
    }

    /** With {@code sleeper} doing the waits (tests observe them without spending them). */
    MlflowRetry(int retries, Duration backoff, Retrying.Sleeper sleeper) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        this.retries = retries;
        Backoff waits = Backoff.doubling(backoff.isNegative() ? Duration.ZERO : backoff, MAX_WAIT,
                Jitter.UP_TO_HALF_MORE);
        this.retrying = Retrying.on(MlflowException.Retryable.class, retries + 1, waits)
                .withSleeper(sleeper)
                .withBeforeRetry((e, attempt, wait) -> LOG.warnf("%s; retry %d of %d in %d ms", e.getMessage(),
                        attempt, retries, wait.toMillis()));
    }

    /**
     * The answer of {@code attempt}, repeated as above; else its last failure, saying after how many attempts it gave
     * up when there was more than one (but not when interrupted while waiting, which also sets the interrupt flag).
     */
    <T> T call(Supplier<T> attempt) {
        return switch (retrying.run(attempt::get)) {
            case Outcome.Success<T> success -> success.value();
            case Outcome.Failure<T> failure -> throw switch (failure.reason()) {
                case INTERRUPTED -> unchecked(failure.failure());
                case NOT_RETRYABLE, ATTEMPTS_EXHAUSTED, DEADLINE_REACHED ->
                    failure.attempts() > 1 && failure.failure() instanceof MlflowException e
                            ? e.afterAttempts(failure.attempts())
                            : unchecked(failure.failure());
            };
        };
    }

    /** A supplier throws nothing checked: its failure as it came. */
    private static RuntimeException unchecked(Exception failure) {
        return failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
    }

    /** The wait before retry number {@code retry + 1}: backoff x 2^retry, capped, plus up to half of it as jitter. */
    Duration wait(int retry) {
        return retrying.backoff().delay(retry + 1);
    }

    @Override
    public String toString() {
        return "MlflowRetry[" + retries + " retries, " + retrying.backoff() + "]";
    }
}
