package dev.modelguardian.integrations.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.retry.Outcome;
import dev.modelguardian.core.retry.Retrying;
import dev.modelguardian.testing.TestConfigs;

/**
 * The retry policy of a notification channel alone (plain JUnit, nothing sleeps): what is retried, how often, how long
 * each wait is (equal jitter, Retry-After up to max-backoff), and when the maximum duration stops it.
 */
class DeliveryRetryPolicyTest {

    private final List<Duration> waits = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger tries = new AtomicInteger();

    private static GuardianConfig.Notify settings(String yaml) {
        return TestConfigs.fromYaml("guardian:\n  notify:\n" + yaml.indent(4)).notifications();
    }

    private Retrying<DeliveryFailure.Retryable> policy(GuardianConfig.Notify settings) {
        return Delivery.retrying(settings).withSleeper(wait -> {
            waits.add(wait);
            nanos.addAndGet(wait.toNanos());
        }).withNanoTime(nanos::get);
    }

    private Retrying.Attempt<Integer> failingWith(DeliveryFailure failure) {
        return () -> {
            tries.incrementAndGet();
            throw failure;
        };
    }

    @Test
    void givenA503Throughout_whenSent_thenMaxAttemptsWithWaitsInTheUpperHalfOfTheDoublingBackoff() {
        GuardianConfig.Notify settings = settings("""
                max-attempts: 5
                initial-backoff: 1s
                max-backoff: 5s
                """);
        for (int run = 0; run < 50; run++) {
            waits.clear();
            DeliveryFailure.Retryable busy = new DeliveryFailure.Retryable("HTTP 503", Optional.empty());

            Outcome<Integer> outcome = policy(settings).run(failingWith(busy));

            assertThat(outcome).isEqualTo(new Outcome.Failure<>(busy, 5, Outcome.Reason.ATTEMPTS_EXHAUSTED));
            assertThat(waits).hasSize(4);
            assertThat(waits.get(0).toMillis()).isBetween(500L, 1000L);
            assertThat(waits.get(1).toMillis()).isBetween(1000L, 2000L);
            assertThat(waits.get(2).toMillis()).isBetween(2000L, 4000L);
            assertThat(waits.get(3).toMillis()).as("capped at max-backoff").isBetween(2500L, 5000L);
        }
    }

    @Test
    void givenA4xx_whenSent_thenOneTryAndNoWait() {
        DeliveryFailure.Permanent rejected = new DeliveryFailure.Permanent("HTTP 400");

        Outcome<Integer> outcome = policy(settings("max-attempts: 5")).run(failingWith(rejected));

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(rejected, 1, Outcome.Reason.NOT_RETRYABLE));
        assertThat(waits).isEmpty();
    }

    @Test
    void givenRetryAfterLongerThanBackoff_whenFailed_thenWaitsRetryAfter() {
        DeliveryFailure.Retryable limited = new DeliveryFailure.Retryable("HTTP 429",
                Optional.of(Duration.ofSeconds(3)));

        policy(settings("""
                max-attempts: 2
                initial-backoff: 100ms
                max-backoff: 2m
                """)).run(failingWith(limited));

        assertThat(waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void givenRetryAfterLongerThanMaxBackoff_whenFailed_thenWaitsMaxBackoff() {
        DeliveryFailure.Retryable limited = new DeliveryFailure.Retryable("HTTP 429",
                Optional.of(Duration.ofHours(1)));

        policy(settings("""
                max-attempts: 2
                initial-backoff: 100ms
                max-backoff: 10s
                """)).run(failingWith(limited));

        assertThat(waits).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void givenTriesSlowerThanTheMaxDuration_whenSent_thenNoFurtherTry() {
        // max duration: (max-backoff 1s + timeout 1s) x 3 attempts + 1 s = 7 s
        GuardianConfig.Notify settings = settings("""
                max-attempts: 3
                initial-backoff: 10ms
                max-backoff: 1s
                timeout: 1s
                """);
        DeliveryFailure.Retryable slow = new DeliveryFailure.Retryable("timed out after 1000 ms", Optional.empty());

        Outcome<Integer> outcome = policy(settings).run(() -> {
            tries.incrementAndGet();
            nanos.addAndGet(Duration.ofSeconds(8).toNanos());
            throw slow;
        });

        assertThat(outcome).isEqualTo(new Outcome.Failure<>(slow, 1, Outcome.Reason.DEADLINE_REACHED));
        assertThat(tries).hasValue(1);
    }

    @Test
    void givenZeroBackoff_whenRetried_thenAtLeastOneMillisecondCeiling() {
        DeliveryFailure.Retryable busy = new DeliveryFailure.Retryable("HTTP 502", Optional.empty());

        policy(settings("""
                max-attempts: 3
                initial-backoff: 0s
                max-backoff: 0s
                """)).run(failingWith(busy));

        // a 1 ms ceiling with equal jitter: 0 + up to 0
        assertThat(waits).containsExactly(Duration.ZERO, Duration.ZERO);
        assertThat(tries).hasValue(3);
    }
}
