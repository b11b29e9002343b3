package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table is the machine: one test per edge, generated from {@link StateMachine#EDGES}. */
class StateMachineTest {

    static Stream<Arguments> edges() {
        return StateMachine.EDGES.stream().flatMap(e -> e.from().stream().map(from -> Arguments.of(from, e.reason(),
                e.to())));
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("edges")
    void givenAnEdgeOfTheTable_whenChecked_thenAllowedAndOnlyToItsState(RemediationState from, Reason reason,
            RemediationState to) {
        assertThat(StateMachine.allows(from, reason, to)).isTrue();
        assertThat(StateMachine.to(reason)).isEqualTo(to);
        assertThat(RemediationState.values()).filteredOn(other -> other != to)
                .allSatisfy(other -> assertThat(StateMachine.allows(from, reason, other)).isFalse());
    }

    @Test
    void givenEveryReason_whenLookedUp_thenItHasExactlyOneRow() {
        assertThat(Arrays.stream(Reason.values())).allSatisfy(reason -> assertThat(StateMachine.EDGES.stream()
                .filter(e -> e.reason() == reason)).hasSize(1));
    }

    @Test
    void givenAStepTheTableDoesNotHold_whenChecked_thenItIsRefusedNamingTheStep() {
        assertThatThrownBy(() -> StateMachine.check("t", RemediationState.HEALTHY, Reason.JOB_SUCCEEDED,
                RemediationState.VALIDATING)).isInstanceOf(IllegalStateException.class)
                .hasMessage("target t: HEALTHY --JOB_SUCCEEDED--> VALIDATING is no edge of the state machine"
                        + " (StateMachine.EDGES); the step was not persisted");
    }

    @Test
    void givenAReasonFromAStateOutsideItsRow_whenChecked_thenRefused() {
        assertThat(StateMachine.allows(RemediationState.ROLLING_BACK, Reason.ROLLBACK_REQUESTED,
                RemediationState.ROLLING_BACK)).isFalse();
        assertThat(StateMachine.allows(RemediationState.PENDING, Reason.POLICY_RECOVERED, RemediationState.HEALTHY))
                .isFalse();
    }

    @Test
    void givenAnActionDecision_whenClassified_thenItsReasonDependsOnTheStateItIsTakenIn() {
        Decision.Act act = new Decision.Act(new Action.Restart("d", java.time.Instant.EPOCH));
        assertThat(StateMachine.reasonOf(act, RemediationState.PROMOTING)).isEqualTo(Reason.PROMOTION_STEP);
        assertThat(StateMachine.reasonOf(act, RemediationState.VERIFYING)).isEqualTo(Reason.RECOVERY_STEP);
        assertThat(StateMachine.reasonOf(act, RemediationState.ROLLING_BACK)).isEqualTo(Reason.ROLLBACK_STEP);
        assertThatThrownBy(() -> StateMachine.reasonOf(act, RemediationState.HEALTHY))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givenAStay_whenClassified_thenItIsNoStep() {
        assertThatThrownBy(() -> StateMachine.reasonOf(new Decision.Stay(Hold.HEALTHY, "healthy"),
                RemediationState.HEALTHY)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givenTheArchitectureDoc_whenRead_thenItShowsTheTableAsTheCodeHasIt() throws IOException {
        String doc = Files.readString(Path.of("docs/architecture.md"));
        assertThat(doc).as("docs/architecture.md must hold StateMachine.render(); paste it there")
                .contains(StateMachine.render());
    }

    @Test
    void givenTheTable_whenTheTrainingFailuresAreListed_thenTheyAreTheEdgesOutOfRetrainingThatEndTheTraining() {
        java.util.Set<Reason> endTraining = StateMachine.EDGES.stream()
                .filter(e -> e.from().equals(java.util.Set.of(RemediationState.RETRAINING)))
                .filter(e -> e.to() == RemediationState.ROLLING_BACK || e.reason() == Reason.TRAINING_FAILED_NOTIFY_ONLY)
                .map(StateMachine.Edge::reason).collect(java.util.stream.Collectors.toSet());

        assertThat(StateMachine.TRAINING_FAILURES).isEqualTo(endTraining).containsExactlyInAnyOrder(
                Reason.JOB_FAILED, Reason.JOB_STUCK, Reason.JOB_TIMED_OUT, Reason.JOB_VANISHED,
                Reason.TRAINING_FAILED_NOTIFY_ONLY);
    }
}
