package dev.modelguardian.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SignalQuery;

/**
 * Three training targets, {@code a}, {@code b} and {@code c}, each training one model whose one signal always reads 30
 * (above its bound of 20, no {@code for}): every cycle finds all three firing. Their training runs are started and
 * observed by {@link Trigger}, which can be told that one target's runs cannot be read. Plain Java: the engine with a
 * fixed clock, no listener, no registry and no model server.
 */
public final class ThreeTargets {

    public static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");

    private ThreeTargets() {
    }

    /** A query of the always-breaching source. */
    public record Fixed(String name) implements SignalQuery {

        @Override
        public String describe() {
            return name;
        }

        @Override
        public String kind() {
            return "fixed";
        }
    }

    /** Every signal reads 30, except those of {@code failing}: a source error. */
    static MetricSource source(String failing) {
        return new MetricSource() {
            @Override
            public String kind() {
                return "fixed";
            }

            @Override
            public Cycle open(Instant at) {
                return new Cycle() {
                    @Override
                    public Observation read(SignalQuery query, Reduce reduce) {
                        return query.describe().equals(failing + "_mae")
                                ? Observation.error("HTTP 503 from the source") : Observation.of(30);
                    }

                    @Override
                    public History history(SignalQuery query, Reduce reduce, Duration window) {
                        return new History.NotKept();
                    }
                };
            }
        };
    }

    /** Training runs of target {@link #broken} cannot be read (the API answers 503); every other target's can. */
    public static class Trigger implements TrainingTrigger {

        /** The target whose runs cannot be read, or a name no target has. */
        public String broken;
        /** Whether every started run has finished (succeeded). */
        public boolean finished;
        /** The targets a run was started for, in order. */
        public final List<String> started = new ArrayList<>();

        public Trigger(String broken) {
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

    /** The engine over the three targets, keeping its state in {@code store}. */
    public static RemediationEngine engine(StateStore store, TrainingTrigger trigger) {
        return engine(store, trigger, "none");
    }

    /** The same, the signal of model {@code failingModel} answered with a source error. */
    public static RemediationEngine engine(StateStore store, TrainingTrigger trigger, String failingModel) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        List<Policy> policies = List.of(policy("model-a"), policy("model-b"), policy("model-c"));
        List<TargetSpec> targets = List.of(new TargetSpec("a", "train-a", List.of("model-a")),
                new TargetSpec("b", "train-b", List.of("model-b")), new TargetSpec("c", "train-c", List.of("model-c")));
        RemediationPolicy guards = new RemediationPolicy(Duration.ofHours(1), 3, false, false, Duration.ofMinutes(45),
                Duration.ofMinutes(5), "ml-retrain-emergency");
        return new RemediationEngine(new PolicyEngine(MetricSources.of(source(failingModel)), clock), policies, targets, store,
                trigger, guards, 50, clock, RemediationListener.NONE, () -> true);
    }

    static Policy policy(String model) {
        return new Policy(model, "mae", new Fixed(model + "_mae"), Bound.above(20), Duration.ZERO, Reduce.MAX,
                NoDataPolicy.INCONCLUSIVE, "MAE of " + model);
    }
}
