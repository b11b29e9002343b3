package dev.modelguardian.integrations.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Hold;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.integrations.metrics.GuardianMetrics.ExternalSystem;
import dev.modelguardian.integrations.prometheus.PromQlQuery;

class GuardianMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-24T20:33:22Z");
    private static final String MODEL = "ticket-duration-predictor";
    private static final String TARGET = "orchestrator-dynamic-ml-training";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GuardianMetrics metrics = new GuardianMetrics(registry);

    private static final TargetSpec SPEC = new TargetSpec(TARGET, TARGET, List.of(MODEL));

    private static HistoryEntry ended(HistoryEntry.Outcome outcome, Duration took) {
        return new HistoryEntry("r1", Optional.empty(), T0, T0.plus(took), outcome, "ended", List.of());
    }

    private double targetGauge(String name) {
        return registry.get(name).tags("target", TARGET).gauge().value();
    }

    private static Evaluation evaluation(String signal, PolicyState state, OptionalDouble value) {
        return evaluation(signal, state, value, 0);
    }

    private static Evaluation evaluation(String signal, PolicyState state, OptionalDouble value, int sourceErrors) {
        Policy policy = new Policy(MODEL, signal, new PromQlQuery("max(mae)"), Bound.above(20).withClear(18),
                Duration.ofHours(1), Reduce.MAX, NoDataPolicy.INCONCLUSIVE, "");
        PolicyStatus status = new PolicyStatus(state, T0, Optional.empty(), Optional.empty(), value, 1, sourceErrors,
                Optional.empty());
        return new Evaluation(policy, status, Duration.ofMillis(12));
    }

    private double policyState(String signal, String state) {
        return registry.get("guardian.policy.state").tags("model", MODEL, "signal", signal, "state", state).gauge()
                .value();
    }

    private double targetState(String state) {
        return registry.get("guardian.target.state").tags("target", TARGET, "state", state).gauge().value();
    }

    @Test
    void givenEvaluations_whenRecorded_thenEachSignalHasItsValueAndItsStateSet() {
        metrics.evaluations(List.of(evaluation("mae-percentage", PolicyState.FIRING, OptionalDouble.of(24)),
                evaluation("feature-psi", PolicyState.HEALTHY, OptionalDouble.of(0.12))));

        assertThat(registry.get("guardian.signal.value").tags("model", MODEL, "signal", "mae-percentage").gauge()
                .value()).isEqualTo(24.0);
        assertThat(registry.get("guardian.signal.value").tags("model", MODEL, "signal", "feature-psi").gauge()
                .value()).isEqualTo(0.12);
        assertThat(policyState("mae-percentage", "firing")).isEqualTo(1.0);
        assertThat(policyState("mae-percentage", "healthy")).isZero();
        assertThat(policyState("mae-percentage", "pending")).isZero();
        assertThat(policyState("mae-percentage", "inconclusive")).isZero();
        assertThat(policyState("feature-psi", "healthy")).isEqualTo(1.0);
        assertThat(registry.find("guardian.policy.state").gauges()).hasSize(2 * PolicyState.values().length);
    }

    @Test
    void givenAnEvaluationWithoutValue_whenRecorded_thenTheSignalValueIsNaN() {
        metrics.evaluations(List.of(evaluation("mae-percentage", PolicyState.FIRING, OptionalDouble.of(24))));
        metrics.evaluations(List.of(evaluation("mae-percentage", PolicyState.INCONCLUSIVE, OptionalDouble.empty())));

        assertThat(registry.get("guardian.signal.value").tags("model", MODEL, "signal", "mae-percentage").gauge()
                .value()).isNaN();
        assertThat(policyState("mae-percentage", "inconclusive")).isEqualTo(1.0);
    }

    @Test
    void givenAPolicyChangesState_whenRecordedAgain_thenTheOneMovesToTheNewStateAndNoMeterIsAdded() {
        metrics.evaluations(List.of(evaluation("mae-percentage", PolicyState.PENDING, OptionalDouble.of(20.13))));
        int meters = registry.getMeters().size();

        metrics.evaluations(List.of(evaluation("mae-percentage", PolicyState.FIRING, OptionalDouble.of(24))));

        assertThat(policyState("mae-percentage", "pending")).isZero();
        assertThat(policyState("mae-percentage", "firing")).isEqualTo(1.0);
        assertThat(registry.get("guardian.signal.value").tags("model", MODEL, "signal", "mae-percentage").gauge()
                .value()).isEqualTo(24.0);
        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(registry.find("guardian.signal.value").gauges()).hasSize(1);
    }

    @Test
    void givenATargetChangesState_whenRecorded_thenTheOneMovesAndEveryStateIsPresent() {
        metrics.targetState(TARGET, RemediationState.FIRING);
        assertThat(targetState("firing")).isEqualTo(1.0);

        metrics.targetState(TARGET, RemediationState.AWAITING_APPROVAL);

        assertThat(targetState("firing")).isZero();
        assertThat(targetState("awaiting_approval")).isEqualTo(1.0);
        assertThat(registry.find("guardian.target.state").gauges()).hasSize(RemediationState.values().length)
                .extracting(Gauge::value).containsOnlyOnce(1.0);
    }

    @Test
    void givenRemediationsEnd_whenCounted_thenTheCounterIsPerTargetAndOutcome() {
        metrics.remediationEnded(TARGET, ended(HistoryEntry.Outcome.RETRAINED, Duration.ofMinutes(20)));
        metrics.remediationEnded(TARGET, ended(HistoryEntry.Outcome.RETRAINED, Duration.ofMinutes(20)));
        metrics.remediationEnded(TARGET, ended(HistoryEntry.Outcome.ROLLED_BACK, Duration.ofMinutes(20)));

        assertThat(registry.get("guardian.remediations").tags("target", TARGET, "outcome", "retrained").counter()
                .count()).isEqualTo(2.0);
        assertThat(registry.get("guardian.remediations").tags("target", TARGET, "outcome", "rolled_back").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.find("guardian.remediations").counters()).hasSize(2);
    }

    @Test
    void givenATargetSeenForTheFirstTime_whenItsStateIsRecorded_thenItsRemediationCounterExistsAtZeroForEveryOutcome() {
        metrics.stayed(SPEC, TargetRecord.initial(T0), new Decision.Stay(Hold.HEALTHY, "all signals healthy"));

        assertThat(registry.find("guardian.remediations").tags("target", TARGET).counters())
                .hasSize(HistoryEntry.Outcome.values().length).allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(registry.get("guardian.action.failures").tags("target", TARGET, "state", "rolling_back")
                .counter().count()).as("a first failed rollback is an increase the alert sees").isZero();
        assertThat(registry.find("guardian.action.failures").counters()).hasSize(GuardianMetrics.ACTING.size());
    }

    @Test
    void givenATargetTheStateHasNotStored_whenRead_thenItHasNoSince() {
        metrics.stayed(SPEC, TargetRecord.initial(T0), new Decision.Stay(Hold.HEALTHY, "all signals healthy"));

        assertThat(targetGauge("guardian.target.state.since")).as("not 'since now' on every cycle").isNaN();
        assertThat(targetState("healthy")).isEqualTo(1.0);
    }

    @Test
    void givenLeadershipLost_whenRecorded_thenWhatThisReplicaLastSawIsCleared() {
        metrics.leader(true);
        metrics.evaluations(List.of(evaluation("mae-percentage", PolicyState.FIRING, OptionalDouble.of(24), 4)));
        TargetRecord retraining = TargetRecord.initial(T0).with(TargetState.healthy(T0)
                .moveTo(RemediationState.RETRAINING, T0), "fired");
        metrics.stayed(SPEC, retraining, new Decision.Stay(Hold.JOB_RUNNING, "running",
                Optional.of(T0.plus(Duration.ofMinutes(65)))));

        metrics.leader(false);

        assertThat(registry.get("guardian.signal.value").tags("model", MODEL, "signal", "mae-percentage").gauge()
                .value()).isNaN();
        assertThat(registry.get("guardian.signal.source.errors").tags("model", MODEL, "signal", "mae-percentage")
                .gauge().value()).isZero();
        assertThat(registry.find("guardian.policy.state").gauges()).allSatisfy(g -> assertThat(g.value()).isZero());
        assertThat(registry.find("guardian.target.state").gauges()).allSatisfy(g -> assertThat(g.value()).isZero());
        assertThat(targetGauge("guardian.target.deadline")).isNaN();
        assertThat(targetGauge("guardian.target.state.since")).isNaN();
    }

    @Test
    void givenARemediationEnds_whenRecorded_thenItsDurationFallsInTheMitigationBuckets() {
        metrics.remediationEnded(TARGET, ended(HistoryEntry.Outcome.PROMOTED, Duration.ofMinutes(42)));

        Timer took = registry.get("guardian.remediation.duration").tags("outcome", "promoted").timer();
        assertThat(took.count()).isEqualTo(1);
        assertThat(took.totalTime(TimeUnit.MINUTES)).isEqualTo(42.0);
        assertThat(took.takeSnapshot().histogramCounts()).extracting(c -> (long) c.bucket(TimeUnit.MINUTES))
                .containsExactly(5L, 15L, 30L, 60L, 120L, 240L, 480L, 1440L);
        assertThat(took.takeSnapshot().histogramCounts()).filteredOn(c -> c.count() > 0)
                .extracting(c -> (long) c.bucket(TimeUnit.MINUTES)).first().isEqualTo(60L);
    }

    @Test
    void givenAStayWithADeadline_whenTold_thenTheTargetsDeadlineAndSinceAreItsUnixTimes() {
        TargetRecord retraining = TargetRecord.initial(T0).with(TargetState.healthy(T0)
                .moveTo(RemediationState.RETRAINING, T0.plusSeconds(60)), "fired");

        metrics.stayed(SPEC, retraining, new Decision.Stay(Hold.JOB_RUNNING, "running",
                Optional.of(T0.plus(Duration.ofMinutes(66)))));

        assertThat(targetGauge("guardian.target.deadline")).isEqualTo(T0.plus(Duration.ofMinutes(66)).getEpochSecond());
        assertThat(targetGauge("guardian.target.state.since")).isEqualTo(T0.plusSeconds(60).getEpochSecond());
        assertThat(targetState("retraining")).isEqualTo(1.0);
    }

    @Test
    void givenAStayWithoutDeadline_whenTold_thenTheDeadlineIsNaN() {
        metrics.stayed(SPEC, TargetRecord.initial(T0), new Decision.Stay(Hold.JOB_RUNNING, "running",
                Optional.of(T0.plus(Duration.ofMinutes(66)))));

        metrics.stayed(SPEC, TargetRecord.initial(T0), new Decision.Stay(Hold.HEALTHY, "all signals healthy"));

        assertThat(targetGauge("guardian.target.deadline")).isNaN();
        assertThat(registry.find("guardian.target.deadline").gauges()).hasSize(1);
    }

    @Test
    void givenAnActionFailsWhileRollingBack_whenTold_thenTheFailureIsCountedUnderRollingBack() {
        TargetRecord rollingBack = TargetRecord.initial(T0).with(TargetState.healthy(T0)
                .moveTo(RemediationState.ROLLING_BACK, T0), "validation failed");

        metrics.actionFailed(SPEC, rollingBack, "restore version 11 of ticket-duration-predictor", "HTTP 503");
        metrics.actionFailed(SPEC, rollingBack, "restore version 11 of ticket-duration-predictor", "HTTP 503");

        assertThat(registry.get("guardian.action.failures").tags("target", TARGET, "state", "rolling_back").counter()
                .count()).isEqualTo(2.0);
    }

    @Test
    void givenSourceErrorsInARow_whenEvaluated_thenTheGaugeCountsThemAndAnAnswerResetsIt() {
        metrics.evaluations(List.of(evaluation("mae-percentage", PolicyState.INCONCLUSIVE, OptionalDouble.empty(), 4)));
        assertThat(registry.get("guardian.signal.source.errors").tags("model", MODEL, "signal", "mae-percentage")
                .gauge().value()).isEqualTo(4.0);

        metrics.evaluations(List.of(evaluation("mae-percentage", PolicyState.HEALTHY, OptionalDouble.of(3), 0)));
        assertThat(registry.get("guardian.signal.source.errors").tags("model", MODEL, "signal", "mae-percentage")
                .gauge().value()).isZero();
    }

    @Test
    void givenLeadershipChanges_whenRecorded_thenTheLeaderGaugeFollows() {
        assertThat(registry.get("guardian.leader").gauge().value()).isZero();

        metrics.leader(true);
        assertThat(registry.get("guardian.leader").gauge().value()).isEqualTo(1.0);

        metrics.leader(false);
        assertThat(registry.get("guardian.leader").gauge().value()).isZero();
        assertThat(registry.find("guardian.leader").gauges()).hasSize(1);
    }

    @Test
    void givenCycles_whenTimed_thenTheCycleTimerCountsThem() {
        metrics.cycle(Duration.ofMillis(300));
        metrics.cycle(Duration.ofMillis(500));

        Timer cycle = registry.get("guardian.cycle").timer();
        assertThat(cycle.count()).isEqualTo(2);
        assertThat(cycle.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(800.0);
        assertThat(cycle.max(TimeUnit.MILLISECONDS)).isEqualTo(500.0);
    }

    @Test
    void givenExternalCalls_whenTimed_thenEachSystemOperationAndOutcomeHasItsTimer() {
        metrics.sourceRead("prometheus", "query", true, Duration.ofMillis(40));
        metrics.sourceRead("prometheus", "query", true, Duration.ofMillis(60));
        metrics.externalCall(ExternalSystem.KUBERNETES, "create_job", false, Duration.ofMillis(15));

        Timer query = registry.get("guardian.external.call")
                .tags("system", "prometheus", "operation", "query", "outcome", "ok").timer();
        assertThat(query.count()).isEqualTo(2);
        assertThat(query.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100.0);
        assertThat(registry.get("guardian.external.call")
                .tags("system", "kubernetes", "operation", "create_job", "outcome", "error").timer().count())
                .isEqualTo(1);
        assertThat(registry.find("guardian.external.call").timers()).hasSize(2);
    }

    @Test
    void givenEveryOutcomeAndSystem_whenTagged_thenTheTagIsTheLowerCaseName() {
        assertThat(HistoryEntry.Outcome.values()).extracting(HistoryEntry.Outcome::tag).containsExactly("retrained",
                "promoted", "rolled_back", "failed", "not_started", "rejected", "dry_run");
        assertThat(ExternalSystem.values()).extracting(ExternalSystem::tag).containsExactly("kubernetes", "mlflow");
    }

    @Test
    void givenThePrometheusRegistry_whenScraped_thenTheNamesAreTheDocumentedOnes() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GuardianMetrics onPrometheus = new GuardianMetrics(prometheus);
        onPrometheus.evaluations(List.of(evaluation("mae-percentage", PolicyState.FIRING, OptionalDouble.of(24))));
        onPrometheus.targetState(TARGET, RemediationState.RETRAINING);
        onPrometheus.remediationEnded(TARGET, ended(HistoryEntry.Outcome.DRY_RUN, Duration.ZERO));
        onPrometheus.sourceErrorLimit(3);
        TargetRecord retraining = TargetRecord.initial(T0).with(TargetState.healthy(T0)
                .moveTo(RemediationState.RETRAINING, T0), "fired");
        onPrometheus.stayed(SPEC, retraining, new Decision.Stay(Hold.JOB_RUNNING, "running",
                Optional.of(T0.plus(Duration.ofMinutes(65)))));
        onPrometheus.actionFailed(SPEC, retraining, "create Job", "HTTP 403");
        onPrometheus.leader(true);
        onPrometheus.cycle(Duration.ofMillis(250));
        onPrometheus.externalCall(ExternalSystem.MLFLOW, "get_version", true, Duration.ofMillis(30));

        String scrape = prometheus.scrape();

        assertThat(scrape).contains(
                "guardian_signal_value{model=\"ticket-duration-predictor\",signal=\"mae-percentage\",} 24.0",
                "guardian_policy_state{model=\"ticket-duration-predictor\",signal=\"mae-percentage\",state=\"firing\",} 1.0",
                "guardian_target_state{state=\"retraining\",target=\"orchestrator-dynamic-ml-training\",} 1.0",
                "guardian_remediations_total{outcome=\"dry_run\",target=\"orchestrator-dynamic-ml-training\",} 1.0",
                "guardian_leader 1.0",
                "guardian_cycle_seconds_count 1.0",
                "guardian_cycle_seconds_sum 0.25",
                "guardian_cycle_seconds_max 0.25",
                "guardian_external_call_seconds_count{operation=\"get_version\",outcome=\"ok\",system=\"mlflow\",} 1.0",
                "guardian_signal_source_errors{model=\"ticket-duration-predictor\",signal=\"mae-percentage\",} 0.0",
                "guardian_source_error_limit 3.0",
                "guardian_target_state_since_timestamp_seconds{target=\"orchestrator-dynamic-ml-training\",} 1.795552402E9",
                "guardian_target_deadline_timestamp_seconds{target=\"orchestrator-dynamic-ml-training\",} 1.795556302E9",
                "guardian_action_failures_total{state=\"retraining\",target=\"orchestrator-dynamic-ml-training\",} 1.0",
                "guardian_remediation_duration_seconds_bucket{outcome=\"dry_run\",le=\"300.0\",} 1.0",
                "guardian_remediation_duration_seconds_count{outcome=\"dry_run\",} 1.0",
                "guardian_remediation_duration_seconds_count{outcome=\"promoted\",} 0.0")
                .doesNotContain("guardian_cycle_seconds_bucket", "guardian_external_call_seconds_bucket");
    }

    @Test
    void givenTheMetricsObject_whenConstructed_thenOnlyTheLeaderTheSourceErrorLimitTheCycleAndTheDurationsExistYet() {
        MeterRegistry fresh = new SimpleMeterRegistry();
        new GuardianMetrics(fresh);

        // (The simple registry adds a guardian.remediation.duration.histogram gauge per bucket; Prometheus does not.)
        assertThat(fresh.getMeters()).extracting(m -> m.getId().getName())
                .filteredOn(name -> !name.endsWith(".histogram")).containsOnly("guardian.leader",
                "guardian.source.error.limit", "guardian.cycle", "guardian.remediation.duration");
        assertThat(fresh.find("guardian.remediation.duration").timers()).hasSize(HistoryEntry.Outcome.values().length);
    }
}
