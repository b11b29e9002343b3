package dev.modelguardian.core.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.registry.InMemoryModelRegistry;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Verdict;

/** The validated candidates as the registry shows them when the post-mortem is drafted, or why not. */
class RegistryVersionsTest {

    static final Instant T0 = Instant.parse("2026-02-14T01:05:00Z");
    static final String MODEL = "ticket-duration-predictor";
    static final String REGISTERED = "ticket_duration_predictor";

    static TargetSpec target() {
        RecoverySpec.ModelCheck check = new RecoverySpec.ModelCheck(new RegistryModel(REGISTERED,
                RegistryModel.Mode.STAGE, "champion"), Optional.of("orchestrator-predictive-models"), List.of(), 0);
        return new TargetSpec("orchestrator-dynamic-ml-training", "orchestrator-dynamic-ml-training", List.of(MODEL),
                new RecoverySpec(Map.of(MODEL, check), Optional.empty(), false, true, java.time.Duration.ofMinutes(5),
                        java.time.Duration.ofMinutes(5), false, Optional.empty(), Map.of()));
    }

    static HistoryEntry validated(String candidate) {
        Verdict verdict = new Verdict(T0, true, List.of(new Verdict.ModelVerdict(MODEL, Optional.of(candidate),
                "serving v11", true, List.of(), Optional.empty())));
        return new HistoryEntry("r1", Optional.of("ml-retrain-emergency-1"), T0, T0.plusSeconds(1800),
                HistoryEntry.Outcome.PROMOTED, "verified", List.of(), Optional.of(verdict), List.of());
    }

    @Test
    void givenAPromotedCandidate_whenRead_thenItsRegisteredNameStageStatusAndRunAreShown() {
        InMemoryModelRegistry registry = new InMemoryModelRegistry();
        String version = registry.register(REGISTERED, T0, "7", Map.of("mae_percentage", 11.2));
        registry.setStage(REGISTERED, version, "Production");

        RegistryVersions read = RegistryVersions.read(validated(version), target(), registry);

        assertThat(read.rows()).singleElement().satisfies(row -> {
            assertThat(row.registered()).isEqualTo(REGISTERED);
            assertThat(row.now()).get().satisfies(v -> assertThat(v.stage()).isEqualTo("Production"));
            assertThat(row.run()).get().satisfies(r -> {
                assertThat(r.status()).isEqualTo("FINISHED");
                assertThat(r.experimentId()).isEqualTo("7");
            });
            assertThat(row.problem()).isEmpty();
        });
    }

    @Test
    void givenAVersionTheRegistryDoesNotHave_whenRead_thenTheRowSaysWhyAndTheOthersAreUnaffected() {
        InMemoryModelRegistry registry = new InMemoryModelRegistry();
        registry.register(REGISTERED, T0, "7", Map.of());

        RegistryVersions read = RegistryVersions.read(validated("13"), target(), registry);

        assertThat(read.rows()).singleElement().satisfies(row -> {
            assertThat(row.now()).isEmpty();
            assertThat(row.problem()).contains("version unavailable: model version " + REGISTERED
                    + " v13 does not exist");
        });
    }

    @Test
    void givenARegistryThatDoesNotAnswer_whenRead_thenEachCandidateSaysSoAndNothingThrows() {
        InMemoryModelRegistry registry = new InMemoryModelRegistry();
        registry.failWith(new ModelRegistry.RegistryException("MLflow unreachable: connection refused", true, null));

        RegistryVersions read = RegistryVersions.read(validated("13"), target(), registry);

        assertThat(read.rows()).singleElement().satisfies(row -> assertThat(row.problem())
                .contains("version unavailable: MLflow unreachable: connection refused"));
    }

    @Test
    void givenNoVerdict_whenRead_thenThereIsNoRow() {
        HistoryEntry failed = new HistoryEntry("r1", Optional.empty(), T0, T0.plusSeconds(60),
                HistoryEntry.Outcome.NOT_STARTED, "CronJob missing", List.of());

        assertThat(RegistryVersions.read(failed, target(), new InMemoryModelRegistry()).rows()).isEmpty();
    }

    @Test
    void givenARegistryThatDoesNotAnswer_whenTwoCandidatesAreRead_thenItIsAskedOnceAndTheSecondSaysWhyNot() {
        InMemoryModelRegistry down = new InMemoryModelRegistry();
        down.failWith(new ModelRegistry.RegistryException("MLflow unreachable: timeout", true, null));
        Verdict two = new Verdict(T0, true, List.of(new Verdict.ModelVerdict(MODEL, Optional.of("13"), "v12", true,
                List.of(), Optional.empty()), new Verdict.ModelVerdict("ticket-anomaly-detector", Optional.of("4"),
                        "v3", true, List.of(), Optional.empty())));
        HistoryEntry entry = new HistoryEntry("r1", Optional.empty(), T0, T0.plusSeconds(60),
                HistoryEntry.Outcome.PROMOTED, "verified", List.of(), Optional.of(two), List.of());

        RegistryVersions read = RegistryVersions.read(entry, target(), down);

        // Asked a second time, the second row would say "version unavailable" as the first does.
        assertThat(read.rows()).extracting(r -> r.problem().orElseThrow()).containsExactly(
                "version unavailable: MLflow unreachable: timeout",
                "not read: the registry did not answer (MLflow unreachable: timeout)");
    }
}
