package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SignalQuery;

/**
 * One target's failed read (its training service down, its runs unreadable) must not keep the other targets from
 * being remediated: every target is advanced, and the cycle still fails with that read's error.
 */
class TargetIsolationTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");

    /** A query of a source that always reads 30 (above every bound here). */
    record Fixed(String name) implements SignalQuery {

        @Override
        public String describe() {
            return name;
        }

        @Override
        public String kind() {
            return "fixed";
        }
    }

    static final MetricSource BREACHING = new MetricSource() {
        @Override
        public String kind() {
            return "fixed";
        }

        @Override
        public Cycle open(Instant at) {
            return new Cycle() {
                @Override
                public Observation read(SignalQuery query, Reduce reduce) {
                    return Observation.of(30);
                }

                @Override
                public History history(SignalQuery query, Reduce reduce, Duration window) {
                    return new History.NotKept();
                }
            };
        }
    };

    /** Training runs of target {@code broken} cannot be read (the API answers 503); every other target's can. */
    static class Trigger implements TrainingTrigger {

        String broken;
        boolean finished;
        final List<String> started = new ArrayList<>();

        Trigger(String broken) {
            this.broken = broken;
        }

        private void check(TargetSpec target) {
            if (target.name().equals(broken)) {
                throw new ClusterException("cannot list the training runs of " + broken + ": HTTP 503", false, null);
            }
        }

        @Override
        public Optional<String> running(TargetSpec target, Optional<String> excluding) {
            check(target);
            return Optional.empty();
        }

        @Override
        public JobObservation observe(TargetSpec target, String runName) {
            check(target);
            if (!started.contains(target.name())) {
                return new JobObservation.NotFound();
            }
            return finished ? new JobObservation.Succeeded() : new JobObservation.Running(Optional.empty(), "running");
        }

        @Override
        public void start(TargetSpec target, String runName, String remediationId, String why) {
            check(target);
            started.add(target.name());
        }

        @Override
        public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
            return LogTail.unavailable("test", "no logs");
        }

        @Override
        public Watch followLog(TargetSpec target, String runName, LogSink sink) {
            return () -> {
            };
        }
    }

    final InMemoryStateStore store = new InMemoryStateStore();

    RemediationEngine engine(Trigger trigger) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        List<Policy> policies = List.of(policy("model-a"), policy("model-b"), policy("model-c"));
        List<TargetSpec> targets = List.of(new TargetSpec("a", "train-a", List.of("model-a")),
                new TargetSpec("b", "train-b", List.of("model-b")), new TargetSpec("c", "train-c", List.of("model-c")));
        RemediationPolicy guards = new RemediationPolicy(Duration.ofHours(1), 3, false, false, Duration.ofMinutes(45),
                Duration.ofMinutes(5), "ml-retrain-emergency");
        return new RemediationEngine(new PolicyEngine(MetricSources.of(BREACHING), clock), policies, targets, store,
                trigger, guards, 50, clock, RemediationListener.NONE, () -> true);
    }

    static Policy policy(String model) {
        return new Policy(model, "mae", new Fixed(model + "_mae"), Bound.above(20), Duration.ZERO, Reduce.MAX,
                NoDataPolicy.INCONCLUSIVE, "MAE of " + model);
    }

    RemediationState state(String target) {
        return store.load().target(target, T0).current().state();
    }

    @Test
    void givenOneTargetsRunsUnreadable_whenACycleRuns_thenTheOthersStillRetrainAndTheCycleFailsWithThatRead() {
        Trigger trigger = new Trigger("b");

        assertThatThrownBy(engine(trigger)::runCycle).isInstanceOf(ClusterException.class)
                .hasMessage("cannot list the training runs of b: HTTP 503");

        assertThat(trigger.started).containsExactly("a", "c");
        assertThat(state("a")).isEqualTo(RemediationState.RETRAINING);
        assertThat(state("c")).isEqualTo(RemediationState.RETRAINING);
        assertThat(state("b")).as("b fired; its run is looked for again next cycle").isEqualTo(RemediationState.FIRING);
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
