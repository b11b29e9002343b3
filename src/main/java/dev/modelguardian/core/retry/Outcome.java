package dev.modelguardian.core.retry;

/**
 * How a {@link Retrying} run ended: with a value, or with the last failure and why no further attempt was made.
 *
 * @param <T> the action's value
 */
public sealed interface Outcome<T> {

    /** Attempts made, the last one included. */
    int attempts();

    /** An attempt returned {@code value}. */
    record Success<T>(T value, int attempts) implements Outcome<T> {
    }

    /** The last attempt failed with {@code failure}; {@code reason} says why it was the last. */
    record Failure<T>(Exception failure, int attempts, Reason reason) implements Outcome<T> {
    }

    /** Why a failure ended the run. */
    enum Reason {
        /** The failure is not of the retryable type: another attempt cannot help. */
        NOT_RETRYABLE,
        /** Retryable, but it was the last allowed attempt. */
        ATTEMPTS_EXHAUSTED,
        /** Retryable, but the run's maximum duration has passed. */
        DEADLINE_REACHED,
        /** The thread was interrupted, in an attempt or while waiting; its interrupt flag is set again. */
        INTERRUPTED
    }
}
