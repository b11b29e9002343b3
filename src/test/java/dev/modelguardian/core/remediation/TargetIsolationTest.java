package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.modelguardian.testing.ThreeTargets.Trigger;
import dev.modelguardian.testing.ThreeTargets;

/**
 * One target's failed read (its training service down, its runs unreadable) must not keep the other targets from
 * being remediated: every target is advanced, and the cycle still fails with that read's error.
 */
class TargetIsolationTest {

    final InMemoryStateStore store = new InMemoryStateStore();

    RemediationEngine engine(Trigger trigger) {
        return ThreeTargets.engine(store, trigger);
    }

    RemediationState state(String target) {
        return store.load().target(target, ThreeTargets.T0).current().state();
    }

    @Test
    void givenOneTargetsRunsUnreadable_whenACycleRuns_thenTheOthersStillRetrainAndTheCycleFailsWithThatRead() {
        Trigger trigger = new Trigger("b");
        List<RemediationEngine.CycleReport> told = new ArrayList<>();

        assertThatThrownBy(() -> engine(trigger).runCycle(told::add)).isInstanceOf(ClusterException.class)
                .hasMessage("cannot list the training runs of b: HTTP 503");

        assertThat(trigger.started).containsExactly("a", "c");
        assertThat(state("a")).isEqualTo(RemediationState.RETRAINING);
        assertThat(state("c")).isEqualTo(RemediationState.RETRAINING);
        assertThat(state("b")).as("b fired; its run is looked for again next cycle").isEqualTo(RemediationState.FIRING);
        assertThat(told).as("what the cycle did is told before it fails").singleElement().satisfies(report -> {
            assertThat(report.evaluations()).hasSize(3);
            assertThat(report.targets()).extracting(t -> t.target().name()).containsExactly("a", "c");
        });
    }

    @Test
    void givenOneTargetsRunUnreadable_whenRunsAreFollowedUp_thenTheOthersFinishedRunsAreStillTakenUp() {
        Trigger trigger = new Trigger("none");
        RemediationEngine engine = engine(trigger);
        engine.runCycle();
        trigger.broken = "b";
        trigger.finished = true;

        assertThatThrownBy(engine::followUp).hasMessage("cannot list the training runs of b: HTTP 503");

        assertThat(state("a")).isEqualTo(RemediationState.HEALTHY);
        assertThat(state("c")).isEqualTo(RemediationState.HEALTHY);
        assertThat(state("b")).isEqualTo(RemediationState.RETRAINING);
    }

    @Test
    void givenAnotherTargetsRunUnreadable_whenTheWaitedOnTargetIsFollowedUp_thenItsRunIsTakenUpAndNothingIsThrown() {
        Trigger trigger = new Trigger("none");
        RemediationEngine engine = engine(trigger);
        engine.runCycle();
        trigger.broken = "b";
        trigger.finished = true;

        List<RemediationEngine.TargetReport> reports = engine.followUp("a");

        assertThat(reports).extracting(r -> r.target().name()).containsExactly("a", "c");
        assertThat(state("a")).isEqualTo(RemediationState.HEALTHY);
        assertThat(state("b")).as("taken up again at the next follow-up").isEqualTo(RemediationState.RETRAINING);
    }

    @Test
    void givenTheWaitedOnTargetsRunUnreadable_whenFollowedUp_thenItsOwnFailureIsThrownAfterTheOthersAdvanced() {
        Trigger trigger = new Trigger("none");
        RemediationEngine engine = engine(trigger);
        engine.runCycle();
        trigger.broken = "b";
        trigger.finished = true;

        assertThatThrownBy(() -> engine.followUp("b")).isInstanceOf(ClusterException.class)
                .hasMessage("cannot list the training runs of b: HTTP 503");

        assertThat(state("a")).isEqualTo(RemediationState.HEALTHY);
        assertThat(state("c")).isEqualTo(RemediationState.HEALTHY);
    }

    @Test
    void givenTwoTargetsRunsUnreadable_whenTheSecondIsFollowedUp_thenItsOwnFailureIsThrownNotTheFirstTargets() {
        AtomicBoolean cUnreadable = new AtomicBoolean();
        Trigger trigger = new Trigger("none") {
            @Override
            public JobObservation observe(TargetSpec target, String runName) {
                if (cUnreadable.get() && target.name().equals("c")) {
                    throw new ClusterException("cannot read the training run of c: HTTP 500", false, null);
                }
                return super.observe(target, runName);
            }
        };
        RemediationEngine engine = engine(trigger);
        engine.runCycle();
        trigger.broken = "a";
        cUnreadable.set(true);

        assertThatThrownBy(() -> engine.followUp("c")).hasMessage("cannot read the training run of c: HTTP 500");
        assertThatThrownBy(engine::followUp).as("every target's caller sees the first target's failure")
                .hasMessage("cannot list the training runs of a: HTTP 503");
    }

    @Test
    void givenTheCallerFailsToRecordAFailingCycle_whenItRuns_thenTheTargetsFailureIsThrownWithTheCallersSuppressed() {
        Trigger trigger = new Trigger("b");

        assertThatThrownBy(() -> engine(trigger).runCycle(report -> {
            throw new IllegalStateException("metrics registry closed");
        })).isInstanceOf(ClusterException.class).hasMessage("cannot list the training runs of b: HTTP 503")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("metrics registry closed"));
    }

    @Test
    void givenTheCallerFailsToRecordACycleThatSucceeded_whenItRuns_thenTheCallersFailureIsThrown() {
        assertThatThrownBy(() -> engine(new Trigger("none")).runCycle(report -> {
            throw new IllegalStateException("metrics registry closed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("metrics registry closed");
        assertThat(state("a")).as("the targets were advanced before").isEqualTo(RemediationState.RETRAINING);
    }

    @Test
    void givenTwoTargetsFailing_whenACycleRuns_thenTheFirstFailureIsThrownWithTheSecondSuppressed() {
        Trigger trigger = new Trigger("a") {
            @Override
            public Optional<String> running(TargetSpec target, Optional<String> excluding) {
                if (target.name().equals("c")) {
                    throw new ClusterException("cannot list the training runs of c: HTTP 500", false, null);
                }
                return super.running(target, excluding);
            }
        };

        assertThatThrownBy(engine(trigger)::runCycle).hasMessage("cannot list the training runs of a: HTTP 503")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("cannot list the training runs of c: HTTP 500"));
        assertThat(trigger.started).containsExactly("b");
    }
}
