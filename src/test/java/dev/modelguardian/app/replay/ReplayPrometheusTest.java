package dev.modelguardian.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.integrations.prometheus.PrometheusClient;
import dev.modelguardian.integrations.prometheus.PrometheusSettings;
import dev.modelguardian.integrations.prometheus.PrometheusSource;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.RecordedHistory;
import dev.modelguardian.testing.TestConfigs;

/**
 * Backtest against a real Prometheus: the drift incident recorded at one sample a minute, backfilled into the test
 * server's TSDB with promtool, then replayed from range queries over the recorded period. A Quarkus test because the
 * Prometheus client is a Quarkus REST client.
 */
@QuarkusTest
class ReplayPrometheusTest {

    static final List<Policy> POLICIES = Policies.from(ReplayTest.NEURAL_HIVE);
    static final Scenario RECORDED = RecordedHistory.drift();
    static final Instant FROM = Instant.parse("2026-02-14T00:00:00Z");
    static final Instant TO = Instant.parse("2026-02-14T04:00:00Z");
    static PrometheusServer prometheus;

    @Inject
    ObjectMapper mapper;

    @BeforeAll
    static void startPrometheusWithRecordedHistory() {
        prometheus = PrometheusServer.withHistory(RecordedHistory.openMetrics(RECORDED, POLICIES, Duration.ofMinutes(1)));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    PrometheusSource reader(String url) {
        PrometheusClient client = new PrometheusClient(TestConfigs.settings("""
                guardian:
                  prometheus:
                    url: %s
                    timeout: 5s
                """.formatted(url)).of(PrometheusSettings.class), mapper);
        return new PrometheusSource(client, 2, Duration.ofSeconds(15));
    }

    Replay.Result backtest(String step) {
        PrometheusHistory.Period period = PrometheusHistory.period(FROM.toString(), TO.toString(), step, TO);
        Scenario input = PrometheusHistory.load(reader(prometheus.url()), PrometheusHistory.url(prometheus.url()),
                POLICIES, period, null);
        return Replay.run(input, POLICIES, ReplayTest.NEURAL_HIVE, ReplayTest.GUARDS);
    }

    @Test
    void givenRecordedDriftIncident_whenBacktestedFromPrometheus_thenErrorFiresAt1h50AndPsiAt1h04AndBothClear() {
        Replay.Result result = backtest("1m");

        assertThat(ReplayTest.changes(result, ReplayTest.MAE))
                .containsExactly("0:00 HEALTHY", "0:50 PENDING", "1:50 FIRING", "3:11 HEALTHY");
        assertThat(ReplayTest.changes(result, ReplayTest.PSI)).containsExactly("0:00 HEALTHY", "1:04 FIRING", "3:00 HEALTHY");
        assertThat(ReplayTest.changes(result, ReplayTest.PRECISION)).containsExactly("0:00 HEALTHY");
        assertThat(result.eventsOf(ReplayTest.MAE).get(2).at()).isEqualTo(Instant.parse("2026-02-14T01:50:00Z"));
        assertThat(result.eventsOf(ReplayTest.MAE).get(2).note())
                .isEqualTo("fires; training target orchestrator-dynamic-ml-training");
        assertThat(result.events()).filteredOn(e -> e.to() == PolicyState.FIRING).hasSize(2);
    }

    @Test
    void givenRecordedDriftIncident_whenBacktested_thenEveryRecordedSignalMatchesTheScenarioReplayEventForEvent() {
        Replay.Result fromPrometheus = backtest("1m");
        Replay.Result fromScenario = Replay.run(RECORDED, POLICIES, ReplayTest.NEURAL_HIVE, ReplayTest.GUARDS);

        for (String signal : RECORDED.signals().keySet()) {
            assertThat(fromPrometheus.eventsOf(signal)).as(signal).isEqualTo(fromScenario.eventsOf(signal));
            assertThat(fromPrometheus.samples().get(signal)).as(signal).isEqualTo(fromScenario.samples().get(signal));
        }
    }

    @Test
    void givenSignalsWithNoRecordedSeries_whenBacktested_thenTheyAreInconclusiveForTheWholePeriodAndNeverFire() {
        Replay.Result result = backtest("1m");

        assertThat(ReplayTest.changes(result, ReplayTest.RATIO)).containsExactly("0:00 INCONCLUSIVE");
        assertThat(result.eventsOf(ReplayTest.RATIO).getFirst().note()).isEqualTo("no data");
        assertThat(result.summaries()).filteredOn(s -> s.signal().equals(ReplayTest.RATIO)).singleElement()
                .satisfies(s -> assertThat(s.timeIn()).containsEntry(PolicyState.INCONCLUSIVE, Duration.ofHours(4)));
    }

    @Test
    void givenCoarserStep_whenBacktested_thenEvaluationsFollowTheStepAndTheHourLongHoldStillFires() {
        Replay.Result result = backtest("10m");

        assertThat(result.samples().get(ReplayTest.MAE)).hasSize(25);
        assertThat(ReplayTest.changes(result, ReplayTest.MAE))
                .containsExactly("0:00 HEALTHY", "0:50 PENDING", "1:50 FIRING", "3:20 HEALTHY");
    }

    @Test
    void givenUnreachablePrometheus_whenLoaded_thenErrorNamesTheFlagTheSignalAndTheFix() {
        String url = "http://127.0.0.1:" + PrometheusServer.closedPort();
        PrometheusHistory.Period period = PrometheusHistory.period(FROM.toString(), TO.toString(), "1m", TO);

        assertThatThrownBy(() -> PrometheusHistory.load(reader(url),
                PrometheusHistory.url(url), POLICIES, period, null))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("--prometheus " + url + ": the range query of ")
                .hasMessageContaining("Prometheus unreachable")
                .hasMessageContaining("check the URL");
    }
}
