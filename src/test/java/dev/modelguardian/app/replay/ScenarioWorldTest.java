package dev.modelguardian.app.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.RemediationState;

/** The {@code world} section of a scenario: parsed with errors that name the field, and acted out by the replay. */
class ScenarioWorldTest {

    static final String SIGNALS = """
            name: w
            duration: 3h
            signals:
              ticket-duration-predictor/feature-psi:
                - {at: 0m, value: 0.08}
                - {at: 10m, value: 0.34}
            """;

    static Scenario parse(String world) {
        return Scenario.parse(SIGNALS + world, "w.yaml");
    }

    static Replay.Result replay(String world) {
        return Replay.run(parse(world), Policies.from(ReplayTest.NEURAL_HIVE), ReplayTest.NEURAL_HIVE,
                ReplayTest.GUARDS);
    }

    @Test
    void givenNoWorld_whenParsed_thenJobsSucceedAfter30mWithNoRegistryAndNoResponse() {
        assertThat(parse("").world()).isEqualTo(World.DEFAULT);
        assertThat(World.DEFAULT.training()).isEqualTo(new World.Training(Duration.ofMinutes(30), true));
        assertThat(World.DEFAULT.registry()).isEmpty();
    }

    @Test
    void givenAFullWorld_whenParsed_thenEveryFieldIsRead() {
        World world = parse("""
                world:
                  training: {takes: 20m, outcome: fails}
                  registry:
                    ticket-duration-predictor:
                      serving: {version: 7, metrics: {mae_percentage: 12.1}}
                      candidate: {mae_percentage: 11.0}
                  after-promotion: {takes: 2m, signals: {ticket-duration-predictor/feature-psi: 0.1}}
                  after-rollback: {signals: {ticket-duration-predictor/feature-psi: 0.3}}
                """).world();

        assertThat(world.training()).isEqualTo(new World.Training(Duration.ofMinutes(20), false));
        assertThat(world.registry()).contains(Map.of("ticket-duration-predictor", new World.Model("7",
                Map.of("mae_percentage", 12.1), Optional.of(Map.of("mae_percentage", 11.0)))));
        assertThat(world.afterPromotion()).contains(new World.Response(Duration.ofMinutes(2),
                Map.of("ticket-duration-predictor/feature-psi", 0.1)));
        assertThat(world.afterRollback()).contains(new World.Response(Duration.ZERO,
                Map.of("ticket-duration-predictor/feature-psi", 0.3)));
    }

    @Test
    void givenBadWorldFields_whenParsed_thenTheErrorNamesTheFieldAndWhatToWrite() {
        assertThatThrownBy(() -> parse("world: {training: {takes: 20m, outcome: maybe}}"))
                .hasMessage("w.yaml: world.training.outcome: 'maybe'; write succeeds or fails");
        assertThatThrownBy(() -> parse("world: {trainig: {takes: 20m}}"))
                .hasMessage("w.yaml: world.trainig: unknown field; expected training, registry, after-promotion,"
                        + " after-rollback");
        assertThatThrownBy(() -> parse("world: {training: {takes: 0s}}"))
                .hasMessage("w.yaml: world.training.takes: must be positive, e.g. 45m");
        assertThatThrownBy(() -> parse("world: {registry: {m: {serving: {version: v7}}}}"))
                .hasMessage("w.yaml: world.registry.m.serving.version: 'v7' is not a model version; write a positive"
                        + " number such as 7");
        assertThatThrownBy(() -> parse("world: {registry: {m: {candidate: {mae: low}}}}"))
                .hasMessage("w.yaml: world.registry.m.candidate.mae: expected a number, got 'low'");
        assertThatThrownBy(() -> parse("world: {after-promotion: {takes: 1m}}"))
                .hasMessageStartingWith("w.yaml: world.after-promotion: 'signals' is required");
    }

    @Test
    void givenARegistryMissingAModelATargetTrains_whenReplayed_thenTheErrorSaysWhatToAdd() {
        assertThatThrownBy(() -> replay("""
                world:
                  registry:
                    ticket-duration-predictor: {serving: {version: 3}}
                """))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("world.registry: no entry for model ticket-anomaly-detector, which a target"
                        + " trains; add 'ticket-anomaly-detector: {serving:");
    }

    @Test
    void givenAResponseForASignalThatIsNotScripted_whenReplayed_thenTheErrorListsTheScriptedOnes() {
        assertThatThrownBy(() -> replay("""
                world:
                  after-promotion: {signals: {ticket-duration-predictor/mae-ratio: 1.0}}
                """))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("world: ticket-duration-predictor/mae-ratio is not a scripted signal of this scenario;"
                        + " scripted: ticket-duration-predictor/feature-psi");
    }

    @Test
    void givenTrainingThatFails_whenReplayed_thenTheTargetRollsBackWithoutValidating() {
        Replay.Result result = replay("""
                world:
                  training: {takes: 20m, outcome: fails}
                """);

        assertThat(ReplayTest.steps(result)).containsSubsequence("0:10 job", "0:30 world", "0:30 rolling-back",
                "0:30 rolled-back").doesNotContain("0:30 validating");
        assertThat(ReplayTest.step(result, "world").what()).endsWith("failed (BackoffLimitExceeded)");
        assertThat(result.targets().getFirst().history()).extracting(HistoryEntry::outcome)
                .containsExactly(HistoryEntry.Outcome.ROLLED_BACK);
    }

    @Test
    void givenAPromotionAfterWhichTheSignalsStayBad_whenReplayed_thenVerificationRollsBackAtTheEndOfTheWindow() {
        Replay.Result result = replay("""
                world:
                  training: {takes: 20m}
                  registry:
                    ticket-duration-predictor:
                      serving: {version: 7, metrics: {mae_percentage: 12.1}}
                      candidate: {mae_percentage: 11.0}
                    ticket-anomaly-detector:
                      serving: {version: 4, metrics: {precision: 0.8}}
                      candidate: {precision: 0.8}
                """);

        assertThat(ReplayTest.steps(result)).containsSubsequence("0:30 promoting", "0:30 verifying",
                "0:35 rolling-back", "0:35 rolled-back");
        assertThat(ReplayTest.step(result, "rolling-back").what()).isEqualTo("still breaching after the 5m verify"
                + " window: ticket-duration-predictor/feature-psi 0.34 (> 0.25 (clear <= 0.2))");
        assertThat(result.steps()).filteredOn(s -> s.kind().equals("action")).extracting(Replay.Step::what)
                .contains("ticket-duration-predictor v8 -> stage Production (was v7)",
                        "ticket-duration-predictor v7 -> stage Production (was v8)");
    }

    @Test
    void givenARollbackAfterWhichTheSignalsRecover_whenReplayed_thenTheyReadTheResponseFromThenOn() {
        Replay.Result result = replay("""
                world:
                  training: {takes: 20m, outcome: fails}
                  after-rollback: {takes: 4m, signals: {ticket-duration-predictor/feature-psi: 0.1}}
                """);

        assertThat(ReplayTest.changes(result, "ticket-duration-predictor/feature-psi"))
                .containsExactly("0:00 HEALTHY", "0:10 FIRING", "0:34 HEALTHY");
        assertThat(result.steps()).filteredOn(s -> s.kind().equals("world")).extracting(Replay.Step::what)
                .last().isEqualTo("live signals after the rollback: ticket-duration-predictor/feature-psi 0.1");
    }

    @Test
    void givenDryRunAndApprovalGuards_whenReplayed_thenTheTimelineShowsWhatWouldHaveBeenCreatedAndNothingRuns() {
        RemediationPolicy g = ReplayTest.GUARDS;
        RemediationPolicy dryRun = new RemediationPolicy(g.cooldown(), g.maxPerDay(), false, true, g.jobTimeout(),
                g.jobTimeoutMargin(), g.jobNamePrefix());
        RemediationPolicy approval = new RemediationPolicy(g.cooldown(), g.maxPerDay(), true, false, g.jobTimeout(),
                g.jobTimeoutMargin(), g.jobNamePrefix());
        List<Policy> policies = Policies.from(ReplayTest.NEURAL_HIVE);

        Replay.Result dry = Replay.run(parse(""), policies, ReplayTest.NEURAL_HIVE, dryRun);
        Replay.Result parked = Replay.run(parse(""), policies, ReplayTest.NEURAL_HIVE, approval);

        assertThat(ReplayTest.step(dry, "dry-run").what()).startsWith("dry run: would create Job"
                + " ml-retrain-emergency-").endsWith("from CronJob orchestrator-dynamic-ml-training");
        assertThat(dry.steps()).noneMatch(s -> s.kind().equals("job") || s.kind().equals("world"));
        assertThat(dry.timeline()).extracting(TimelineEvent::kind).contains("dry-run");
        assertThat(ReplayTest.steps(parked)).containsExactly("0:10 firing", "0:10 awaiting-approval");
        assertThat(parked.targets().getFirst().timeIn()).containsEntry(RemediationState.AWAITING_APPROVAL,
                Duration.ofMinutes(170));
    }
}
