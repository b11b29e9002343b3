package dev.modelguardian.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.modelguardian.config.ModelSet;
import dev.modelguardian.policy.Policies;
import dev.modelguardian.policy.PolicyState;
import dev.modelguardian.testing.TestConfigs;

class ReplayTest {

    static final ModelSet NEURAL_HIVE = ModelSet.resolve(TestConfigs.fromYaml(""));
    static final String MAE = "ticket-duration-predictor/mae-percentage";
    static final String PSI = "ticket-duration-predictor/feature-psi";
    static final String PRECISION = "ticket-anomaly-detector/precision";
    static final String RATIO = "ticket-duration-predictor/mae-ratio";

    static Replay.Result replay(String bundled) {
        return Replay.run(Scenario.bundled(bundled), Policies.from(NEURAL_HIVE), NEURAL_HIVE);
    }

    /** "+h:mm STATE" for each change of one signal. */
    static List<String> changes(Replay.Result result, String signal) {
        return result.eventsOf(signal).stream()
                .map(e -> String.format("%d:%02d %s", e.offset().toHours(), e.offset().toMinutesPart(), e.to()))
                .toList();
    }

    @Test
    void givenDriftIncident_whenReplayed_thenErrorFiresAfterItsHourAndPsiAtOnceAndBothClear() {
        Replay.Result result = replay("drift-incident");

        assertThat(changes(result, MAE)).containsExactly("0:00 HEALTHY", "0:50 PENDING", "1:50 FIRING", "3:11 HEALTHY");
        assertThat(changes(result, PSI)).containsExactly("0:00 HEALTHY", "1:04 FIRING", "3:00 HEALTHY");
        assertThat(changes(result, PRECISION)).containsExactly("0:00 HEALTHY");
        assertThat(result.eventsOf(MAE).get(2).note()).isEqualTo("fires; training target orchestrator-dynamic-ml-training");
        assertThat(result.summaries()).filteredOn(s -> s.signal().equals(MAE)).singleElement().satisfies(s -> {
            assertThat(s.firings()).isEqualTo(1);
            assertThat(s.timeIn().get(PolicyState.PENDING)).isEqualTo(Duration.ofHours(1));
            assertThat(s.timeIn().get(PolicyState.FIRING)).isEqualTo(Duration.ofMinutes(81));
        });
    }

    @Test
    void givenFlappingSignal_whenReplayed_thenForAbsorbsTheFlapsAndHysteresisHoldsTheRealBreach() {
        Replay.Result result = replay("flapping");

        assertThat(changes(result, MAE)).containsExactly("0:00 HEALTHY", "0:10 PENDING", "0:25 HEALTHY",
                "0:30 PENDING", "1:10 HEALTHY", "1:15 PENDING", "2:00 HEALTHY", "2:05 PENDING", "3:05 FIRING",
                "3:30 HEALTHY");
        assertThat(result.summaries().getFirst().firings()).isEqualTo(1);
    }

    @Test
    void givenPrometheusGap_whenReplayed_thenSignalsAreInconclusiveNeverFireAndRecoverWhenDataReturns() {
        Replay.Result result = replay("prometheus-gap");

        assertThat(changes(result, PRECISION)).containsExactly("0:00 HEALTHY", "0:20 INCONCLUSIVE", "1:15 HEALTHY");
        assertThat(changes(result, RATIO)).containsExactly("0:00 HEALTHY", "0:20 INCONCLUSIVE", "1:00 HEALTHY");
        assertThat(result.events()).noneMatch(e -> e.to() == PolicyState.FIRING);
        assertThat(result.eventsOf(PRECISION).get(1).note()).isEqualTo("no data");
        assertThat(result.summaries()).filteredOn(s -> s.signal().equals(PRECISION)).singleElement()
                .satisfies(s -> assertThat(s.timeIn().get(PolicyState.INCONCLUSIVE)).isEqualTo(Duration.ofMinutes(55)));
    }

    @Test
    void givenRampSegment_whenObserved_thenValueIsInterpolatedUntilTheNextSegment() {
        Scenario s = Scenario.parse("""
                name: ramp
                duration: 1h
                signals:
                  a/b:
                    - {at: 0m, ramp: [10, 20]}
                    - {at: 10m, value: 5}
                """, "test");

        assertThat(s.observe("a/b", Duration.ofMinutes(5))).isEqualTo(dev.modelguardian.signal.Observation.of(15));
        assertThat(s.observe("a/b", Duration.ofMinutes(10))).isEqualTo(dev.modelguardian.signal.Observation.of(5));
    }

    @Test
    void givenScenarioNamingAnUnknownSignal_whenReplayed_thenErrorListsTheKnownSignals() {
        Scenario s = Scenario.parse("""
                name: typo
                duration: 1h
                signals:
                  ticket-duration-predictor/mae-percent:
                    - {at: 0m, value: 1}
                """, "typo.yaml");

        assertThatThrownBy(() -> Replay.run(s, Policies.from(NEURAL_HIVE), NEURAL_HIVE))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("signals.ticket-duration-predictor/mae-percent: no such signal")
                .hasMessageContaining("ticket-duration-predictor/mae-percentage");
    }

    @Test
    void givenSegmentWithTwoKinds_whenParsed_thenErrorNamesTheSegment() {
        assertThatThrownBy(() -> Scenario.parse("""
                name: bad
                duration: 1h
                signals:
                  a/b:
                    - {at: 0m, value: 1, gap: true}
                """, "bad.yaml"))
                .hasMessage("bad.yaml: signals.a/b[0]: set exactly one of value, ramp, gap, nan or error");
    }

    @Test
    void givenSegmentsOutOfOrder_whenParsed_thenErrorNamesTheField() {
        assertThatThrownBy(() -> Scenario.parse("""
                name: bad
                duration: 1h
                signals:
                  a/b:
                    - {at: 10m, value: 1}
                    - {at: 5m, value: 2}
                """, "bad.yaml"))
                .hasMessage("bad.yaml: signals.a/b[1].at: segments must be in increasing 'at' order");
    }

    @Test
    void givenMissingDurationOrBadStep_whenParsed_thenErrorSaysWhatToWrite() {
        assertThatThrownBy(() -> Scenario.parse("name: x\nsignals: {a/b: [{at: 0m, value: 1}]}", "x.yaml"))
                .hasMessage("x.yaml: 'duration' is required (a duration such as 30m)");
        assertThatThrownBy(() -> Scenario.parse("name: x\nduration: 1h\nstep: soon\nsignals: {a/b: [{at: 0m, value: 1}]}",
                "x.yaml"))
                .hasMessageContaining("x.yaml.step: 'soon' is not a duration");
    }
}
