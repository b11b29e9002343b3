package dev.modelguardian.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** {@code --prometheus}, {@code --from}, {@code --to}, {@code --step}: what is accepted, and errors naming the flag. */
class ReplayPrometheusFlagsTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void givenRfc3339UnixSecondsNowAndRelativeTimes_whenParsed_thenEachIsTheSameKindOfInstant() {
        assertThat(PrometheusHistory.time("--from", "2026-02-14T00:00:00Z", NOW))
                .isEqualTo(Instant.parse("2026-02-14T00:00:00Z"));
        assertThat(PrometheusHistory.time("--from", "2026-02-14T01:00:00+01:00", NOW))
                .isEqualTo(Instant.parse("2026-02-14T00:00:00Z"));
        assertThat(PrometheusHistory.time("--from", "1771027200", NOW)).isEqualTo(Instant.parse("2026-02-14T00:00:00Z"));
        assertThat(PrometheusHistory.time("--from", "1771027200.5", NOW))
                .isEqualTo(Instant.parse("2026-02-14T00:00:00.500Z"));
        assertThat(PrometheusHistory.time("--to", "now", NOW)).isEqualTo(NOW);
        assertThat(PrometheusHistory.time("--from", "-6h", NOW)).isEqualTo(NOW.minus(Duration.ofHours(6)));
        assertThat(PrometheusHistory.time("--from", "now-90m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
    }

    @Test
    void givenUnparseableTime_whenParsed_thenErrorNamesTheFlagAndTheFormatsAccepted() {
        assertThatThrownBy(() -> PrometheusHistory.time("--from", "yesterday", NOW))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("--from: 'yesterday' is not a time; write RFC 3339 (2026-02-14T00:00:00Z), unix seconds"
                        + " (1771027200), now, or a duration before now (-6h)");
        assertThatThrownBy(() -> PrometheusHistory.time("--to", "-soon", NOW)).hasMessageStartingWith("--to: '-soon'");
        assertThatThrownBy(() -> PrometheusHistory.time("--to", "2026-02-14 00:00", NOW))
                .hasMessageStartingWith("--to: '2026-02-14 00:00' is not a time");
    }

    @Test
    void givenFromNotBeforeTo_whenChecked_thenErrorSaysToGiveAnEarlierFrom() {
        assertThatThrownBy(() -> PrometheusHistory.period("2026-02-14T04:00:00Z", "2026-02-14T04:00:00Z", "1m", NOW))
                .hasMessageStartingWith("--from 2026-02-14T04:00:00Z (2026-02-14T04:00:00Z) is not before --to")
                .hasMessageEndingWith("give a --from earlier than --to, e.g. --from -6h --to now");
        assertThatThrownBy(() -> PrometheusHistory.period("now", "-1h", "1m", NOW)).hasMessageContaining("is not before --to");
    }

    @Test
    void givenZeroNegativeOrUnreadableStep_whenChecked_thenErrorNamesStepAndAnExample() {
        for (String step : new String[] { "0s", "0", "-1m", "often" }) {
            assertThatThrownBy(() -> PrometheusHistory.period("-1h", "now", step, NOW)).as(step)
                    .isInstanceOf(ScenarioException.class)
                    .hasMessageStartingWith("--step: '" + step + "'")
                    .hasMessageEndingWith("write a positive duration, e.g. --step 1m (or 30s, 15, PT1M)");
        }
        assertThat(PrometheusHistory.period("-1h", "now", "15", NOW).step()).isEqualTo(Duration.ofSeconds(15));
        assertThat(PrometheusHistory.period("-1h", "now", "PT1M", NOW).points()).isEqualTo(61);
    }

    @Test
    void givenMoreThanTenThousandPoints_whenChecked_thenErrorGivesTheSmallestStepThatFits() {
        assertThatThrownBy(() -> PrometheusHistory.period("-6h", "now", "1s", NOW))
                .hasMessage("--step 1s: 2026-11-24T06:00:00Z to 2026-11-24T12:00:00Z is 21601 evaluations per signal,"
                        + " more than 10000; use --step 3s or more, or a shorter period");
        assertThat(PrometheusHistory.period("-6h", "now", "3s", NOW).points()).isLessThanOrEqualTo(10_000);
    }

    @Test
    void givenMissingOrNonHttpUrl_whenChecked_thenErrorShowsAPrometheusUrl() {
        assertThatThrownBy(() -> PrometheusHistory.url(""))
                .hasMessage("--prometheus: no URL given; write the Prometheus API root, e.g. --prometheus"
                        + " http://prometheus.monitoring:9090");
        assertThatThrownBy(() -> PrometheusHistory.url("prometheus:9090"))
                .hasMessageStartingWith("--prometheus: 'prometheus:9090' is not an http(s) URL with a host");
        assertThatThrownBy(() -> PrometheusHistory.url("http://bad host/"))
                .hasMessageStartingWith("--prometheus: 'http://bad host/' is not a URL");
        assertThat(PrometheusHistory.url("https://prom.example:9090/").getHost()).isEqualTo("prom.example");
    }
}
