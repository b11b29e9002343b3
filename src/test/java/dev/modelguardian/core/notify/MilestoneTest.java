package dev.modelguardian.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Reason;
import dev.modelguardian.core.remediation.RemediationListener.Step;
import dev.modelguardian.integrations.notify.RetryAfter;
import dev.modelguardian.integrations.notify.Story;

/** Milestones from (state before, state after, outcome), and the Retry-After header. */
class MilestoneTest {

    private static List<Optional<Milestone>> of(List<Step> steps) {
        return steps.stream().map(Milestone::of).toList();
    }

    @Test
    void givenAFailedTraining_whenMapped_thenFiringStartedFailedRolledBack() {
        assertThat(of(new Story().failedTraining())).containsExactly(Optional.of(Milestone.FIRING), Optional.empty(),
                Optional.of(Milestone.RETRAINING_STARTED), Optional.of(Milestone.FAILED),
                Optional.of(Milestone.ROLLED_BACK));
    }

    @Test
    void givenAPromotion_whenMapped_thenValidationPassedPromotedRecovered() {
        assertThat(of(new Story().promoted())).containsExactly(Optional.of(Milestone.FIRING), Optional.empty(),
                Optional.of(Milestone.RETRAINING_STARTED), Optional.empty(), Optional.of(Milestone.VALIDATION_PASSED),
                Optional.of(Milestone.PROMOTED), Optional.of(Milestone.RECOVERED));
    }

    @Test
    void givenValidationOrVerificationFails_whenMapped_thenTheirOwnMilestones() {
        Story story = new Story();
        story.firing();
        story.startRetraining();
        story.jobCreated();
        story.moveTo(Reason.JOB_SUCCEEDED, "complete");
        assertThat(Milestone.of(story.moveTo(Reason.VALIDATION_FAILED, "candidate mae 14 > 12")))
                .contains(Milestone.VALIDATION_FAILED);
        Story v = new Story();
        List<Step> steps = v.promoted();
        v = new Story(steps.get(5).after());
        assertThat(Milestone.of(v.moveTo(Reason.NEW_BREACH, "live mae breached")))
                .contains(Milestone.VERIFICATION_FAILED);
    }

    @Test
    void givenAJobThatCouldNotBeCreated_whenTheRemediationEndsNotStarted_thenFailed() {
        Story story = new Story();
        story.firing();
        story.startRetraining();
        assertThat(Milestone.of(story.end(Reason.JOB_NOT_CREATED, HistoryEntry.Outcome.NOT_STARTED,
                "CronJob missing"))).contains(Milestone.FAILED);
    }

    @Test
    void givenPendingThatClears_whenMapped_thenNothing() {
        Story story = new Story();
        story.moveTo(Reason.POLICY_PENDING, "a policy is pending");
        assertThat(Milestone.of(story.moveTo(Reason.POLICY_CLEARED, "no policy pending or firing"))).isEmpty();
    }

    @Test
    void givenRetryAfterInSecondsOrAsADate_whenParsed_thenTheWait() {
        Instant now = Instant.parse("2026-11-24T03:00:00Z");
        assertThat(RetryAfter.parse(Optional.of("7"), now)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(Optional.of("Tue, 24 Nov 2026 03:00:30 GMT"), now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse(Optional.of("Tue, 24 Nov 2026 02:00:00 GMT"), now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse(Optional.of("soon"), now)).isEmpty();
        assertThat(RetryAfter.parse(Optional.empty(), now)).isEmpty();
    }

    @Test
    void givenALongTargetName_whenKeyed_thenAtMost255Characters() {
        String key = IncidentKeys.remediation("ns", "t".repeat(300), "r1");
        assertThat(key).hasSizeLessThanOrEqualTo(255).startsWith("model-guardian/sha256-");
        assertThat(IncidentKeys.remediation("ns", "t".repeat(300), "r1")).isEqualTo(key);
    }
}
