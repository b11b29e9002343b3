package dev.modelguardian.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor alone (plain JUnit): a fake sleeper records the waits and moves a fake clock, nothing really sleeps. */
class RetryingTest {

    /** Worth another attempt. */
    static final class Busy extends Exception {
        final Optional<Duration> retryAfter;

        Busy(Optional<Duration> retryAfter) {
            super("busy", null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /** Not worth another attempt, whatever its message says. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final Backoff ONE_SECOND_DOUBLING = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(2),
            Jitter.NONE);

    private final List<Duration> waits = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();

    private Retrying<Busy> retrying(int maxAttempts) {
        return Retrying.on(Busy.class, maxAttempts, ONE_SECOND_DOUBLING)
                .withSleeper(wait -> {
                    waits.add(wait);
                    nanos.addAndGet(wait.toNanos());
                })
                .withNanoTime(nanos::get);
    }

    /** Fails with {@code failure} the first {@code failures} calls, then returns "ok". */
    private Retrying.Attempt<String> failing(int failures, Exception failure) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw failure;
            }
            return "ok";
        };
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void givenSuccessAtOnce_whenRun_thenOneAttemptAndNoWait() {
        Outcome<String> outcome = retrying(5).run(() -> "ok");

        assertThat(outcome).isEqualTo(new Outcome.Success<>("ok", 1));
        assertThat(waits).isEmpty();
    }

    @Test
    void givenTwoRetryableFailures_whenRun_thenTheValueAfterTwoBackoffWaits() {
        Outcome<String> outcome = retrying(5).run(failing(2, new Busy(Optional.empty())));

        assertThat(outcome).isEqualTo(new Outcome.Success<>("ok", 3));
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void givenRetryableFailuresThroughout_whenRun_thenMaxAttemptsAndTheLastFailure() {
        Busy busy = new Busy(Optional.empty());

        Outcome<String> outcome = retrying(4).run(failing(Integer.MAX_VALUE, busy));

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(busy, 4, Outcome.Reason.ATTEMPTS_EXHAUSTED));
        assertThat(calls).hasValue(4);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void givenFailureOfAnotherType_whenRun_thenNoRetryWhateverItsMessage() {
        Refused refused = new Refused("busy, please retry");

        Outcome<String> outcome = retrying(5).run(failing(Integer.MAX_VALUE, refused));

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(refused, 1, Outcome.Reason.NOT_RETRYABLE));
        assertThat(waits).isEmpty();
    }

    @Test
    void givenRetryableThenNotRetryable_whenRun_thenStopsAtTheSecondAttempt() {
        Refused refused = new Refused("no");
        AtomicInteger n = new AtomicInteger();

        Outcome<String> outcome = retrying(5).run(() -> {
            if (n.incrementAndGet() == 1) {
                throw new Busy(Optional.empty());
            }
            throw refused;
        });

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(refused, 2, Outcome.Reason.NOT_RETRYABLE));
        assertThat(waits).hasSize(1);
    }

    @Test
    void givenUncheckedFailure_whenRetryingOnlyChecked_thenNotRetried() {
        UncheckedIOException unchecked = new UncheckedIOException(new IOException("reset"));

        Outcome<String> outcome = retrying(5).run(failing(1, unchecked));

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(unchecked, 1, Outcome.Reason.NOT_RETRYABLE));
    }

    @Test
    void givenRetryAfterLongerThanBackoff_whenFailed_thenWaitsRetryAfter() {
        Outcome<String> outcome = retrying(5).withHint(busy -> busy.retryAfter)
                .run(failing(1, new Busy(Optional.of(Duration.ofSeconds(7)))));

        assertThat(outcome).isEqualTo(new Outcome.Success<>("ok", 2));
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void givenRetryAfterShorterThanBackoff_whenFailed_thenWaitsTheBackoff() {
        retrying(5).withHint(busy -> busy.retryAfter).run(failing(2, new Busy(Optional.of(Duration.ofMillis(10)))));

        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void givenRetryAfterLongerThanTheMaxBackoff_whenFailed_thenWaitsTheMax() {
        retrying(5).withHint(busy -> busy.retryAfter).run(failing(1, new Busy(Optional.of(Duration.ofHours(2)))));

        assertThat(waits).containsExactly(Duration.ofMinutes(2));
    }

    @Test
    void givenMaxDurationPassedDuringAWait_whenRun_thenNoFurtherAttempt() {
        Busy busy = new Busy(Optional.empty());

        Outcome<String> outcome = retrying(10).withMaxDuration(Duration.ofMillis(2500))
                .run(failing(Integer.MAX_VALUE, busy));

        // attempt 1, wait 1 s, attempt 2, wait 2 s: 3 s have passed, more than 2.5 s
        assertThat(outcome).isEqualTo(new Outcome.Failure<>(busy, 2, Outcome.Reason.DEADLINE_REACHED));
        assertThat(calls).hasValue(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void givenMaxDurationPassedDuringAnAttempt_whenRun_thenNoWaitAndNoFurtherAttempt() {
        Busy busy = new Busy(Optional.empty());

        Outcome<String> outcome = retrying(10).withMaxDuration(Duration.ofSeconds(5)).run(() -> {
            calls.incrementAndGet();
            nanos.addAndGet(Duration.ofSeconds(6).toNanos());
            throw busy;
        });

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(busy, 1, Outcome.Reason.DEADLINE_REACHED));
        assertThat(waits).isEmpty();
    }

    @Test
    void givenInterruptWhileWaiting_whenRun_thenStopsWithTheLastFailureAndTheFlagSet() {
        Busy busy = new Busy(Optional.empty());

        Outcome<String> outcome = Retrying.on(Busy.class, 5, ONE_SECOND_DOUBLING)
                .withSleeper(wait -> {
                    throw new InterruptedException();
                })
                .run(failing(Integer.MAX_VALUE, busy));

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(busy, 1, Outcome.Reason.INTERRUPTED));
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void givenInterruptedAttempt_whenRun_thenNoRetryAndTheFlagSet() {
        InterruptedException interrupted = new InterruptedException();

        Outcome<String> outcome = Retrying.on(Exception.class, 5, ONE_SECOND_DOUBLING)
                .withSleeper(waits::add)
                .run(failing(1, interrupted));

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(interrupted, 1, Outcome.Reason.INTERRUPTED));
        assertThat(waits).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void givenAListener_whenRetried_thenToldTheFailureTheAttemptAndTheWaitBeforeEachWait() {
        Busy busy = new Busy(Optional.empty());
        List<String> told = new ArrayList<>();

        retrying(3).withBeforeRetry((failure, attempt, wait) -> told.add(failure.getMessage() + " #" + attempt
                + " " + wait.toMillis() + " ms; waited before: " + waits.size()))
                .run(failing(Integer.MAX_VALUE, busy));

        assertThat(told).containsExactly("busy #1 1000 ms; waited before: 0", "busy #2 2000 ms; waited before: 1");
    }

    @Test
    void givenJitter_whenRetried_thenTheWaitsDrawnFromTheGivenRandom() {
        Retrying<Busy> equal = Retrying.on(Busy.class, 3,
                Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(2), Jitter.EQUAL))
                .withSleeper(waits::add)
                .withRandom(() -> BackoffTest.LOWEST);

        equal.run(failing(2, new Busy(Optional.empty())));

        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void givenOneAttempt_whenARetryableFailure_thenNoRetry() {
        Busy busy = new Busy(Optional.empty());

        assertThat(retrying(1).run(failing(1, busy)))
                .isEqualTo(new Outcome.Failure<>(busy, 1, Outcome.Reason.ATTEMPTS_EXHAUSTED));
        assertThat(waits).isEmpty();
    }
}
