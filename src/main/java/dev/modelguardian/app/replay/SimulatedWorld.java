package dev.modelguardian.app.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.registry.InMemoryModelRegistry;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.registry.Run;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.ModelServer;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * The cluster, MLflow and the model server of a replay, in memory and on the virtual clock, scripted by the scenario's
 * {@link World}: the guardian's ports are implemented here exactly as their contracts say (idempotent Job creation,
 * MLflow's stage semantics, restarts keyed by {@code restartedAt}), so the engine runs unchanged. What the world does
 * on its own (a Job finishing, a version registered, the live signals responding) happens in {@link #advance}, and is
 * recorded as timeline events of kind {@code world}.
 */
final class SimulatedWorld implements TrainingTrigger, ModelServer {

    private static final String NO_LOG = "a replay runs no pod, so there is no log";

    static final String EXPERIMENT_ID = "1";

    private final World world;
    private final Clock clock;
    private final Optional<InMemoryModelRegistry> registry;
    private final Map<String, RecoverySpec.ModelCheck> checks = new TreeMap<>();
    private final Map<String, Map<String, String>> configMaps = new HashMap<>();
    private final Map<String, Map<String, String>> rollbackValues = new HashMap<>();
    private final Set<String> deployments = new HashSet<>();
    private final Set<String> restarts = new HashSet<>();
    private final Set<String> candidates = new HashSet<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Set<String> ended = new HashSet<>();
    private final Map<String, Double> overrides = new HashMap<>();
    private final List<TimelineEvent> events = new ArrayList<>();
    private Change sinceRestart = Change.NONE;
    private Pending pending;

    /** A Job the guardian created and when it ends. */
    private record Job(Trainer trainer, Instant ends, boolean succeeds) {
    }

    /** A response of the live signals, due at {@code at}. */
    private record Pending(Instant at, String cause, World.Response response) {
    }

    /** What changed on the model server since its last restart, which decides how the signals respond to it. */
    private enum Change {
        NONE, PROMOTION, ROLLBACK
    }

    SimulatedWorld(World world, List<TargetSpec> targets, Instant start, Clock clock) {
        this.world = world;
        this.clock = clock;
        this.registry = world.registry().map(models -> new InMemoryModelRegistry());
        for (TargetSpec target : targets) {
            RecoverySpec recovery = target.recovery();
            recovery.restartTarget().ifPresent(deployments::add);
            recovery.configMap().ifPresent(cm -> recovery.keys().forEach((key, flag) -> {
                configMaps.computeIfAbsent(cm, c -> new TreeMap<>()).put(key, servingValue(flag.value()));
                rollbackValues.computeIfAbsent(cm, c -> new TreeMap<>()).put(key, flag.value());
            }));
            recovery.models().forEach((model, check) -> checks.put(model, check));
        }
        registry.ifPresent(r -> seed(r, world.registry().get(), start));
    }

    /** The rollback key's value while the model server runs normally: the opposite of a boolean, else "enabled". */
    private static String servingValue(String rollbackValue) {
        return switch (rollbackValue) {
            case "false" -> "true";
            case "true" -> "false";
            default -> "enabled";
        };
    }

    /** Each model's history up to its serving version, every version a day older than the next. */
    private void seed(InMemoryModelRegistry r, Map<String, World.Model> models, Instant start) {
        Set<String> unknown = new TreeSet<>(models.keySet());
        unknown.removeAll(checks.keySet());
        if (!unknown.isEmpty()) {
            throw new ScenarioException("world.registry." + unknown.iterator().next() + ": no training target of the"
                    + " configuration trains this model; the registry lists models of targets: "
                    + String.join(", ", checks.keySet()));
        }
        for (var e : checks.entrySet()) {
            World.Model model = models.get(e.getKey());
            if (model == null) {
                throw new ScenarioException("world.registry: no entry for model " + e.getKey() + ", which a target"
                        + " trains; add '" + e.getKey() + ": {serving: {version: 1, metrics: {...}}, candidate:"
                        + " {...}}'");
            }
            RegistryModel registered = e.getValue().registry();
            e.getValue().experiment().ifPresent(name -> r.addExperiment(name, EXPERIMENT_ID));
            int serving = Integer.parseInt(model.servingVersion());
            for (int v = 1; v <= serving; v++) {
                r.register(registered.name(), start.minus(Duration.ofDays(serving - v + 1)), EXPERIMENT_ID,
                        v == serving ? model.servingMetrics() : Map.of());
                r.promote(registered, String.valueOf(v));
            }
        }
    }

    /** MLflow as the guardian sees it, when the world has one. */
    Optional<ModelRegistry> registry() {
        return registry.map(Watched::new);
    }

    /** What the world did on its own so far. */
    List<TimelineEvent> events() {
        return List.copyOf(events);
    }

    /** The value the world's response set for {@code signal}, if it has set one. */
    synchronized OptionalDouble override(String signal) {
        Double v = overrides.get(signal);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Moves the world to {@code now}: Jobs that ended by then end (and register), due responses arrive. */
    synchronized void advance(Instant now) {
        for (var e : jobs.entrySet()) {
            Job job = e.getValue();
            if (!job.ends().isAfter(now) && ended.add(e.getKey())) {
                finish(e.getKey(), job);
            }
        }
        if (pending != null && !pending.at().isAfter(now)) {
            overrides.putAll(pending.response().signals());
            List<String> parts = new ArrayList<>();
            new TreeMap<>(pending.response().signals()).forEach((k, v) -> parts.add(k + " " + Bound.format(v)));
            events.add(new TimelineEvent(pending.at(), "world", null, "live signals after the " + pending.cause()
                    + ": " + String.join(", ", parts), pending.response().signals()));
            pending = null;
        }
    }

    private void finish(String name, Job job) {
        if (!job.succeeds()) {
            events.add(new TimelineEvent(job.ends(), "world", null, job.trainer().run(name) + " failed ("
                    + (job.trainer().runKind().equals("Job") ? "BackoffLimitExceeded" : "phase Failed") + ")",
                    Map.of()));
            return;
        }
        List<String> registered = new ArrayList<>();
        registry.ifPresent(r -> checks.forEach((model, check) -> world.registry().get().get(model).candidate()
                .ifPresent(metrics -> {
                    String version = r.register(check.registry().name(), job.ends(), EXPERIMENT_ID, metrics);
                    candidates.add(check.registry().name() + "/" + version);
                    List<String> values = new ArrayList<>();
                    new TreeMap<>(metrics).forEach((k, v) -> values.add(k + " " + Bound.format(v)));
                    registered.add(check.registry().name() + " v" + version + " (" + String.join(", ", values) + ")");
                })));
        events.add(new TimelineEvent(job.ends(), "world", null, job.trainer().run(name) + " complete"
                + (registered.isEmpty() ? "" : "; registered " + String.join(", ", registered)), Map.of()));
        if (registry.isEmpty()) {
            // Without a registry the Job's own gate promotes, and the model server picks the new model up.
            respond(Change.PROMOTION, job.ends());
        }
    }

    private void respond(Change change, Instant at) {
        Optional<World.Response> response = change == Change.ROLLBACK ? world.afterRollback() : world.afterPromotion();
        response.ifPresent(r -> pending = new Pending(at.plus(r.takes()),
                change == Change.ROLLBACK ? "rollback" : "promotion", r));
    }

    // ---- TrainingTrigger -------------------------------------------------------------------------

    @Override
    public synchronized Optional<String> running(TargetSpec target, Optional<String> excluding) {
        Instant now = clock.instant();
        return jobs.entrySet().stream()
                .filter(e -> e.getValue().trainer().equals(target.trainer()) && e.getValue().ends().isAfter(now))
                .map(Map.Entry::getKey)
                .filter(name -> excluding.map(x -> !x.equals(name)).orElse(true))
                .reduce((first, second) -> second);
    }

    @Override
    public synchronized JobObservation observe(TargetSpec target, String jobName) {
        Job job = jobs.get(jobName);
        if (job == null) {
            return new JobObservation.NotFound();
        }
        if (job.ends().isAfter(clock.instant())) {
            return new JobObservation.Running(Optional.empty(), job.trainer().runKind().equals("Job") ? "1 pod Running"
                    : "phase Running");
        }
        return job.succeeds() ? new JobObservation.Succeeded()
                : new JobObservation.Failed(job.trainer().runKind().equals("Job") ? "BackoffLimitExceeded"
                        : "Failed (child of " + jobName + " failed)");
    }

    /** {@inheritDoc} A replayed run has no pod, so no log: said as such in the report and the history. */
    @Override
    public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
        return LogTail.unavailable(target.trainer().run(runName), NO_LOG);
    }

    /** {@inheritDoc} A replayed run has no pod, so nothing to follow. */
    @Override
    public Watch followLog(TargetSpec target, String runName, LogSink sink) {
        sink.unreadable(target.trainer().run(runName), NO_LOG);
        return () -> {
        };
    }

    @Override
    public synchronized void start(TargetSpec target, String jobName, String remediationId, String why) {
        if (jobs.containsKey(jobName)) {
            return;
        }
        Instant now = clock.instant();
        jobs.put(jobName, new Job(target.trainer(), now.plus(world.training().takes()), world.training().succeeds()));
    }

    // ---- ModelServer -----------------------------------------------------------------------------

    @Override
    public synchronized Map<String, Optional<String>> read(String configMap, Set<String> keys) {
        Map<String, String> data = configMaps.get(configMap);
        if (data == null) {
            throw new ClusterException("ConfigMap " + configMap + " does not exist", true, null);
        }
        Map<String, Optional<String>> values = new TreeMap<>();
        keys.forEach(k -> values.put(k, Optional.ofNullable(data.get(k))));
        return values;
    }

    @Override
    public synchronized void requireDeployment(String deployment) {
        if (!deployments.contains(deployment)) {
            throw new ClusterException("Deployment " + deployment + " does not exist", true, null);
        }
    }

    @Override
    public synchronized void setKeys(String configMap, Map<String, Optional<String>> values,
            Map<String, Optional<String>> previous, String remediationId) {
        Map<String, String> data = configMaps.computeIfAbsent(configMap, c -> new TreeMap<>());
        values.forEach((k, v) -> v.ifPresentOrElse(value -> data.put(k, value), () -> data.remove(k)));
        Map<String, String> rollback = rollbackValues.getOrDefault(configMap, Map.of());
        boolean off = values.entrySet().stream()
                .anyMatch(e -> e.getValue().isPresent() && e.getValue().get().equals(rollback.get(e.getKey())));
        sinceRestart = off ? Change.ROLLBACK : Change.PROMOTION;
    }

    @Override
    public synchronized void restart(String deployment, Instant at) {
        requireDeployment(deployment);
        if (!restarts.add(deployment + "@" + at)) {
            return;
        }
        Instant now = clock.instant();
        Change change = sinceRestart == Change.NONE ? Change.PROMOTION : sinceRestart;
        sinceRestart = Change.NONE;
        respond(change, now);
    }

    /** Values of the flag ConfigMap now (for tests and the summary). */
    synchronized Map<String, String> configMap(String name) {
        return Map.copyOf(configMaps.getOrDefault(name, Map.of()));
    }

    /** The registry with promotions noted, so that a restart knows whether it brought a candidate or a rollback. */
    private final class Watched implements ModelRegistry {
        private final ModelRegistry delegate;

        Watched(ModelRegistry delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<ModelVersion> serving(RegistryModel model) {
            return delegate.serving(model);
        }

        @Override
        public List<ModelVersion> versionsSince(String model, Instant since) {
            return delegate.versionsSince(model, since);
        }

        @Override
        public ModelVersion version(String model, String version) {
            return delegate.version(model, version);
        }

        @Override
        public Run run(String runId) {
            return delegate.run(runId);
        }

        @Override
        public Optional<String> experimentId(String name) {
            return delegate.experimentId(name);
        }

        @Override
        public void promote(RegistryModel model, String version) {
            delegate.promote(model, version);
            synchronized (SimulatedWorld.this) {
                if (sinceRestart != Change.ROLLBACK) {
                    sinceRestart = candidates.contains(model.name() + "/" + version) ? Change.PROMOTION
                            : Change.ROLLBACK;
                }
            }
        }

        @Override
        public void clearAlias(RegistryModel model) {
            delegate.clearAlias(model);
            synchronized (SimulatedWorld.this) {
                sinceRestart = Change.ROLLBACK;
            }
        }
    }
}
