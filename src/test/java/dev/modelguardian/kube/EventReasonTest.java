package dev.modelguardian.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.modelguardian.remediation.RemediationState;

class EventReasonTest {

    private static final String PASCAL_CASE = "[A-Z][a-z0-9]+([A-Z][a-z0-9]+)*";

    @Test
    void givenTheCatalogue_whenListed_thenEveryReasonAndActionIsPascalCaseWithinTheApiLimit() {
        assertThat(EventReason.values()).allSatisfy(reason -> {
            assertThat(reason.reason()).matches(PASCAL_CASE).hasSizeLessThanOrEqualTo(128);
            assertThat(reason.action()).matches(PASCAL_CASE).hasSizeLessThanOrEqualTo(128);
            assertThat(reason.type().value()).isIn("Normal", "Warning");
        });
    }

    @Test
    void givenTheCatalogue_whenListed_thenEveryReasonStringIsUnique() {
        assertThat(Arrays.stream(EventReason.values()).map(EventReason::reason)).doesNotHaveDuplicates();
    }

    @Test
    void givenTheCatalogue_whenListed_thenTheConstantNameSpellsTheReason() {
        assertThat(EventReason.values()).allSatisfy(reason -> assertThat(reason.name().replace("_", ""))
                .isEqualToIgnoringCase(reason.reason()));
    }

    @Test
    void givenTheReasonsTheRunbookNames_whenLookedUp_thenAllArePresent() {
        assertThat(Arrays.stream(EventReason.values()).map(EventReason::reason)).contains("PolicyPending",
                "PolicyFiring", "PolicyRecovered", "RemediationStarted", "RetrainingJobCreated",
                "RetrainingJobAdopted", "RetrainingDryRun", "AwaitingApproval", "Approved", "GuardBlocked",
                "RetrainingSucceeded", "RetrainingFailed", "RetrainingStuck", "RetrainingTimedOut",
                "RetrainingJobVanished", "RollingBack", "RolledBack", "Recovered", "SourceErrors", "ActionFailed");
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "HEALTHY, PENDING, POLICY_PENDING",
            "FIRING, PENDING, POLICY_PENDING",
            "HEALTHY, FIRING, POLICY_FIRING",
            "PENDING, FIRING, POLICY_FIRING",
            "PENDING, HEALTHY, POLICY_RECOVERED",
            "FIRING, HEALTHY, POLICY_RECOVERED",
            "AWAITING_APPROVAL, HEALTHY, POLICY_RECOVERED",
            "FIRING, AWAITING_APPROVAL, AWAITING_APPROVAL",
            "AWAITING_APPROVAL, RETRAINING, REMEDIATION_STARTED",
            "RETRAINING, VALIDATING, RETRAINING_SUCCEEDED",
            "VALIDATING, PROMOTING, VALIDATION_PASSED",
            "VALIDATING, ROLLING_BACK, ROLLING_BACK",
            "PROMOTING, VERIFYING, PROMOTED",
            "VERIFYING, HEALTHY, RECOVERED",
            "VERIFYING, ROLLING_BACK, ROLLING_BACK",
            "ROLLING_BACK, ROLLED_BACK, ROLLED_BACK",
            "ROLLED_BACK, HEALTHY, RECOVERED",
    })
    void givenAnEdgeDecidedByItsStates_whenMapped_thenItHasItsReason(RemediationState from, RemediationState to,
            EventReason expected) {
        assertThat(EventReason.forTransition(from, to)).contains(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // new Job or adopted Job: the caller knows which
            "FIRING, RETRAINING",
            // failed, stuck, timed out or vanished: the Job observation says which
            "RETRAINING, ROLLING_BACK",
            // no state change
            "FIRING, FIRING",
            "RETRAINING, RETRAINING",
            // no such edge
            "HEALTHY, RETRAINING",
            "HEALTHY, ROLLED_BACK",
            "PENDING, AWAITING_APPROVAL",
    })
    void givenAnEdgeTheStatesDoNotDecide_whenMapped_thenTheCallerChooses(RemediationState from,
            RemediationState to) {
        assertThat(EventReason.forTransition(from, to)).isEqualTo(Optional.empty());
    }

    @Test
    void givenAStateThatDoesNotChange_whenMapped_thenThereIsNoReason() {
        assertThat(RemediationState.values())
                .allSatisfy(state -> assertThat(EventReason.forTransition(state, state)).isEmpty());
    }
}
