package dev.modelguardian.integrations.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The retry policy alone (plain JUnit): what is retried, how often, and how long each wait is. */
class MlflowRetryTest {

    private final List<Duration> waits = new ArrayList<>();

    private MlflowRetry retry(int retries, Duration backoff) {
        return new MlflowRetry(retries, backoff, waits::add);
    }

    private static MlflowException http(int status) {
        return MlflowException.http("GET runs/get", status, null, null, "x");
    }

    @Test
    void givenBackoff500ms_whenWaitsComputed_thenEachDoublesWithJitterOfUpToHalf() {
        MlflowRetry retry = retry(10, Duration.ofMillis(500));
        for (int attempt = 0; attempt < 200; attempt++) {
            assertThat(retry.wait(0).toMillis()).isBetween(500L, 750L);
            assertThat(retry.wait(1).toMillis()).isBetween(1000L, 1500L);
            assertThat(retry.wait(2).toMillis()).isBetween(2000L, 3000L);
        }
    }

    @Test
    void givenManyRetries_whenWaitsComputed_thenNoneExceedsTheCap() {
        MlflowRetry retry = retry(10, Duration.ofSeconds(5));

        assertThat(retry.wait(9)).isEqualTo(MlflowRetry.MAX_WAIT);
        assertThat(retry.wait(62)).isEqualTo(MlflowRetry.MAX_WAIT);
    }

    @Test
    void givenJitter_whenManyWaitsComputed_thenTheyDiffer() {
        MlflowRetry retry = retry(3, Duration.ofMillis(500));
        java.util.Set<Long> distinct = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            distinct.add(retry.wait(0).toMillis());
        }
        assertThat(distinct).hasSizeGreaterThan(5);
    }

    @Test
    void given503Twice_whenCalled_thenTwoWaitsAndTheAnswer() {
        AtomicInteger calls = new AtomicInteger();

        String answer = retry(3, Duration.ofMillis(100)).call(() -> {
            if (calls.incrementAndGet() <= 2) {
                throw http(503);
            }
            return "ok";
        });

        assertThat(answer).isEqualTo("ok");
        assertThat(calls).hasValue(3);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0).toMillis()).isBetween(100L, 150L);
        assertThat(waits.get(1).toMillis()).isBetween(200L, 300L);
    }

    @Test
    void givenEvery4xx_whenCalled_thenOneAttemptAndNoWait() {
        for (int status : new int[] { 400, 401, 403, 404, 405, 409, 429 }) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> retry(3, Duration.ofMillis(1)).call(() -> {
                calls.incrementAndGet();
                throw http(status);
            })).isInstanceOf(MlflowException.class).hasMessageNotContaining("gave up");
            assertThat(calls).as("HTTP %d", status).hasValue(1);
        }
        assertThat(waits).isEmpty();
    }

    @Test
    void givenConnectionErrorsThroughout_whenCalled_thenRetriesExhaustedAndTheErrorSaysHowManyAttempts() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry(2, Duration.ofMillis(1)).call(() -> {
            calls.incrementAndGet();
            throw MlflowException.transport("GET runs/get", "cannot connect", null);
        })).isInstanceOf(MlflowException.class).hasMessage("MLflow GET runs/get failed: cannot connect; gave up after 3"
                + " attempts");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givenZeroRetries_whenA503_thenOneAttemptAndTheErrorAsItCame() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry(0, Duration.ofMillis(1)).call(() -> {
            calls.incrementAndGet();
            throw http(503);
        })).hasMessage("MLflow GET runs/get failed: HTTP 503: x");
        assertThat(calls).hasValue(1);
    }
}
