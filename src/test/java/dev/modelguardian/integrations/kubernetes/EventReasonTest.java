package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.modelguardian.core.remediation.Reason;
import dev.modelguardian.core.remediation.RemediationState;

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

    @ParameterizedTest(name = "{0} --{1}-->: {2}")
    @CsvSource({
            "HEALTHY, POLICY_PENDING, POLICY_PENDING",
            "FIRING, POLICY_PENDING, POLICY_PENDING",
            "HEALTHY, POLICY_FIRING, POLICY_FIRING",
            "PENDING, POLICY_FIRING, POLICY_FIRING",
            "HEALTHY, REQUESTED, POLICY_FIRING",
            "PENDING, POLICY_CLEARED, POLICY_RECOVERED",
            "FIRING, POLICY_RECOVERED, POLICY_RECOVERED",
            "AWAITING_APPROVAL, RECOVERED_BEFORE_APPROVAL, POLICY_RECOVERED",
            "FIRING, APPROVAL_REQUIRED, AWAITING_APPROVAL",
            "AWAITING_APPROVAL, APPROVED, APPROVED",
            "FIRING, RETRAINING_STARTED, REMEDIATION_STARTED",
            "AWAITING_APPROVAL, RETRAINING_STARTED, REMEDIATION_STARTED",
            "FIRING, JOB_ADOPTED, RETRAINING_JOB_ADOPTED",
            "FIRING, DRY_RUN, RETRAINING_DRY_RUN",
            "RETRAINING, SNAPSHOT_TAKEN, SNAPSHOT_TAKEN",
            "RETRAINING, JOB_CREATED, RETRAINING_JOB_CREATED",
            "RETRAINING, JOB_SUCCEEDED, RETRAINING_SUCCEEDED",
            "RETRAINING, JOB_FAILED, RETRAINING_FAILED",
            "RETRAINING, TRAINING_FAILED_NOTIFY_ONLY, RETRAINING_FAILED",
            "RETRAINING, JOB_STUCK, RETRAINING_STUCK",
            "RETRAINING, JOB_TIMED_OUT, RETRAINING_TIMED_OUT",
            "RETRAINING, JOB_VANISHED, RETRAINING_JOB_VANISHED",
            "VALIDATING, VALIDATION_PASSED, VALIDATION_PASSED",
            "VALIDATING, VALIDATION_FAILED, ROLLING_BACK",
            "VALIDATING, VALIDATION_IMPOSSIBLE, ROLLING_BACK",
            "PROMOTING, PROMOTED, PROMOTED",
            "VERIFYING, NEW_BREACH, ROLLING_BACK",
            "VERIFYING, STILL_BREACHING, ROLLING_BACK",
            "VERIFYING, ROLLBACK_REQUESTED, ROLLING_BACK",
            "VALIDATING, TRAINING_TRUSTED, RECOVERED",
            "VERIFYING, VERIFIED, RECOVERED",
            "ROLLING_BACK, ROLLED_BACK, ROLLED_BACK",
    })
    void givenAStepOnAnEdge_whenMapped_thenItHasItsEvent(RemediationState from, Reason reason, EventReason expected) {
        assertThat(EventReason.of(reason, from)).contains(expected);
    }

    @ParameterizedTest(name = "{0} --{1}-->")
    @CsvSource({
            // ActionFailed already said why the remediation could not start or the promotion ended
            "RETRAINING, JOB_NOT_CREATED",
            "RETRAINING, NO_SNAPSHOT",
            "PROMOTING, PROMOTION_FAILED",
            // a remediation asked for out of ROLLED_BACK is told by its start
            "ROLLED_BACK, REQUESTED",
            // a rollback asked for by hand outside validation and verification is told by its end
            "FIRING, ROLLBACK_REQUESTED",
            // each action has its own Event, by kind
            "PROMOTING, PROMOTION_STEP",
            "VERIFYING, RECOVERY_STEP",
            "ROLLING_BACK, ROLLBACK_STEP",
    })
    void givenAStepNotWorthAnEventOfItsOwn_whenMapped_thenNone(RemediationState from, Reason reason) {
        assertThat(EventReason.of(reason, from)).isEqualTo(Optional.empty());
    }
}
