package dev.modelguardian.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

/** The waits alone (plain JUnit), with the random source pinned to its lowest or highest draw. */
class BackoffTest {

    /** Always draws 0: the shortest jittered wait. */
    static final RandomGenerator LOWEST = () -> 0L;

    /** Always draws the bound's largest value: the longest jittered wait. */
    static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private static long millis(Backoff backoff, int attempt, RandomGenerator random) {
        return backoff.delay(attempt, Optional.empty(), random).toMillis();
    }

    @Test
    void givenNoJitter_whenDelaysComputed_thenInitialDoubledPerFailureUpToTheMax() {
        Backoff backoff = Backoff.doubling(Duration.ofSeconds(10), Duration.ofMinutes(1), Jitter.NONE);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(1000)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void givenNoFailureYet_whenDelayComputed_thenZero() {
        Backoff backoff = Backoff.doubling(Duration.ofSeconds(10), Duration.ofMinutes(1), Jitter.NONE);

        assertThat(backoff.delay(0)).isZero();
        assertThat(backoff.delay(-3)).isZero();
    }

    @Test
    void givenInitialLongerThanMax_whenDelayComputed_thenTheMax() {
        Backoff backoff = Backoff.doubling(Duration.ofMinutes(5), Duration.ofMinutes(1), Jitter.NONE);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void givenMultiplierThree_whenDelaysComputed_thenEachThreeTimesTheOneBefore() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 3, Jitter.NONE);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void givenEqualJitter_whenDelaysComputed_thenInTheUpperHalfOfTheExponentialWait() {
        Backoff backoff = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(2), Jitter.EQUAL);

        assertThat(millis(backoff, 1, LOWEST)).isEqualTo(500);
        assertThat(millis(backoff, 1, HIGHEST)).isEqualTo(1000);
        assertThat(millis(backoff, 3, LOWEST)).isEqualTo(2000);
        assertThat(millis(backoff, 3, HIGHEST)).isEqualTo(4000);
        assertThat(millis(backoff, 30, HIGHEST)).isEqualTo(120_000);
    }

    @Test
    void givenUpToHalfMoreJitter_whenDelaysComputed_thenUpToHalfAboveAndNeverOverTheMax() {
        Backoff backoff = Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(30), Jitter.UP_TO_HALF_MORE);

        assertThat(millis(backoff, 1, LOWEST)).isEqualTo(500);
        assertThat(millis(backoff, 1, HIGHEST)).isEqualTo(750);
        assertThat(millis(backoff, 2, HIGHEST)).isEqualTo(1500);
        assertThat(millis(backoff, 7, LOWEST)).isEqualTo(30_000);
        assertThat(millis(backoff, 7, HIGHEST)).as("32 s plus jitter, capped").isEqualTo(30_000);
        assertThat(millis(backoff, 6, HIGHEST)).as("16 s plus 8 s").isEqualTo(24_000);
    }

    @Test
    void givenRealRandomness_whenManyDelaysComputed_thenTheyStayWithinTheBoundsAndDiffer() {
        Backoff backoff = Backoff.doubling(Duration.ofMillis(400), Duration.ofMinutes(1), Jitter.EQUAL);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            long wait = backoff.delay(2).toMillis();
            assertThat(wait).isBetween(400L, 800L);
            seen.add(wait);
        }
        assertThat(seen).hasSizeGreaterThan(5);
    }

    @Test
    void givenRetryAfterLongerThanBackoff_whenDelayComputed_thenTheRetryAfter() {
        Backoff backoff = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(2), Jitter.EQUAL);

        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(7)), HIGHEST)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void givenRetryAfterShorterThanBackoff_whenDelayComputed_thenTheBackoff() {
        Backoff backoff = Backoff.doubling(Duration.ofSeconds(4), Duration.ofMinutes(2), Jitter.NONE);

        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(1)), LOWEST)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void givenRetryAfterLongerThanTheMax_whenDelayComputed_thenTheMax() {
        Backoff backoff = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(2), Jitter.EQUAL);

        assertThat(backoff.delay(1, Optional.of(Duration.ofHours(1)), LOWEST)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void givenZeroInitial_whenDelaysComputed_thenZeroWhateverTheAttempt() {
        Backoff backoff = Backoff.doubling(Duration.ZERO, Duration.ofSeconds(30), Jitter.UP_TO_HALF_MORE);

        assertThat(millis(backoff, 1, HIGHEST)).isZero();
        assertThat(millis(backoff, 2000, HIGHEST)).isZero();
    }

    @Test
    void givenNegativeDurationsOrAMultiplierBelowOne_whenCreated_thenRejected() {
        assertThatThrownBy(() -> Backoff.doubling(Duration.ofMillis(-1), Duration.ofSeconds(1), Jitter.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(-1), Jitter.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, Jitter.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Double.NaN, Jitter.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
