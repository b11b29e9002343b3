package dev.modelguardian.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The wait between scheduled cycles after failures: doubling from the relist interval, capped at the interval. */
class ServeLoopBackoffTest {

    static final Duration RELIST = Duration.ofSeconds(10);
    static final Duration INTERVAL = Duration.ofMinutes(1);

    @Test
    void givenNoFailure_whenAsked_thenNoWait() {
        assertThat(ServeLoop.backoff(0, RELIST, INTERVAL)).isZero();
    }

    @Test
    void givenConsecutiveFailures_whenAsked_thenTheWaitDoublesFromTheRelistInterval() {
        assertThat(ServeLoop.backoff(1, RELIST, INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ServeLoop.backoff(2, RELIST, INTERVAL)).isEqualTo(Duration.ofSeconds(20));
        assertThat(ServeLoop.backoff(3, RELIST, INTERVAL)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void givenManyFailures_whenAsked_thenTheWaitStopsAtTheCap() {
        assertThat(ServeLoop.backoff(4, RELIST, INTERVAL)).isEqualTo(INTERVAL);
        assertThat(ServeLoop.backoff(1000, RELIST, INTERVAL)).isEqualTo(INTERVAL);
    }
}
