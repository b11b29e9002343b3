package dev.modelguardian.app.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.InMemoryStateStore;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.signal.MetricSources;

/**
 * Runs the production code of {@code serve} over a scenario on a virtual clock: the same {@link PolicyEngine} and
 * {@link RemediationEngine}, one cycle per {@code step} as {@code serve} runs one per {@code guardian.interval}, with
 * the state in memory and the cluster, MLflow and the model server simulated by {@link SimulatedWorld} as the
 * scenario's {@link World} says. Nothing here decides anything: every decision is the engine's.
 */
public final class Replay {

    /** The state history kept per target, as {@code guardian.state.history} does in the cluster. */
    private static final int HISTORY = 50;

    private Replay() {
    }

    /** One change of a signal's state at a virtual time. */
    public record Event(Duration offset, Instant at, String signal, PolicyState from, PolicyState to,
            OptionalDouble value, String note) {
    }

    /** How long a signal spent in each state, and how often it began firing. */
    public record SignalSummary(String signal, Map<PolicyState, Duration> timeIn, int firings) {
    }

    /** What a signal read and where its policy stood at one evaluation; no value when the read had none. */
    public record Sample(Instant at, OptionalDouble value, PolicyState state) {
    }

    /**
     * One persisted step of a target's remediation (or a thing the world did, with {@code target} "world").
     *
     * @param kind what it was: a {@code RemediationState} in lower case when the state changed, else {@code job},
     *             {@code snapshot}, {@code action}, {@code dry-run}, {@code failed} or {@code world}
     * @param what the engine's reason, with the numbers
     */
    public record Step(Duration offset, Instant at, String target, String kind, RemediationState from,
            RemediationState to, String what) {

        /** {@code FROM -> TO} when the target's state changed, else the kind. */
        public String change() {
            return from != null && from != to ? from + " -> " + to : kind;
        }
    }

    /**
     * What a target's remediations came to.
     *
     * @param timeIn  time in each remediation state
     * @param runKind what one training run of the target is ({@code Job}, {@code Workflow})
     * @param started retraining runs created
     * @param history every finished remediation, oldest first
     * @param spec    the target as the replay trained it (its trainer as the world's {@code training} says)
     */
    public record TargetSummary(String target, Map<RemediationState, Duration> timeIn, String runKind, int started,
            List<HistoryEntry> history, TargetSpec spec) {

        public long count(HistoryEntry.Outcome outcome) {
            return history.stream().filter(h -> h.outcome() == outcome).count();
        }

        /** How the remediations ended, e.g. {@code promoted 1, rolled_back 1}; {@code none} when none did. */
        public String outcomes() {
            List<String> parts = new ArrayList<>();
            for (HistoryEntry.Outcome outcome : HistoryEntry.Outcome.values()) {
                long n = count(outcome);
                if (n > 0) {
                    parts.add(outcome.tag() + " " + n);
                }
            }
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }

        /** Time in each state the target was in, in the states' order, e.g. {@code HEALTHY 3h1m, RETRAINING 40m}. */
        public String timeInStates() {
            List<String> parts = new ArrayList<>();
            timeIn.forEach((state, d) -> parts.add(state + " " + dev.modelguardian.core.policy.Durations.format(d)
                    .toLowerCase(Locale.ROOT)));
            return String.join(", ", parts);
        }
    }

    /**
     * The timeline and summary of a replay.
     *
     * @param events    every change of a signal's state, the first evaluation of each signal included
     * @param summaries time in each state per signal
     * @param samples   every evaluation per signal, in time order (what the report charts)
     * @param timeline  the events drawn as markers: every state change after the first evaluation, every remediation
     *                  step and every thing the world did, in time order
     * @param steps     the remediation's steps and the world's doings, in time order
     * @param targets   per training target, what its remediations came to
     */
    public record Result(Scenario scenario, List<Event> events, List<SignalSummary> summaries,
            Map<String, List<Sample>> samples, List<TimelineEvent> timeline, List<Step> steps,
            List<TargetSummary> targets) {

        public List<Event> eventsOf(String signal) {
            return events.stream().filter(e -> e.signal().equals(signal)).toList();
        }
    }

    /**
     * Replays {@code scenario}: only its scripted signals are evaluated; every configured training target is
     * remediated by the engine under {@code remediation}'s guards.
     */
    public static Result run(Scenario scenario, List<Policy> policies, ModelSet models,
            RemediationPolicy remediation) {
        Map<String, Policy> byKey = new LinkedHashMap<>();
        policies.forEach(p -> byKey.put(p.key(), p));
        for (String signal : scenario.signals().keySet()) {
            if (!byKey.containsKey(signal)) {
                throw new ScenarioException("signals." + signal + ": no such signal in the configuration; known: "
                        + String.join(", ", new TreeSet<>(byKey.keySet())));
            }
        }
        World world = scenario.world();
        for (String key : responseSignals(world)) {
            if (!scenario.signals().containsKey(key)) {
                throw new ScenarioException("world: " + key + " is not a scripted signal of this scenario; scripted: "
                        + String.join(", ", scenario.signals().keySet()));
            }
        }
        List<Policy> scripted = scenario.signals().keySet().stream().map(byKey::get).toList();
        Map<String, String> targetOf = new HashMap<>();
        models.targets().forEach((target, t) -> t.models().forEach(m -> targetOf.put(m, target)));
        List<TargetSpec> configured = KubeBeans.targets(models, world.registry().isPresent());
        // A scenario may say what trains the targets (an Argo WorkflowTemplate, ...), whatever the configuration says.
        List<TargetSpec> targets = world.training().trigger().map(kind -> configured.stream()
                .map(t -> new TargetSpec(t.name(), dev.modelguardian.app.wiring.Extensions.trainedFrom(kind,
                        world.training().from().orElse(t.name())), t.models(), t.recovery())).toList())
                .orElse(configured);

        VirtualClock clock = new VirtualClock(scenario.start());
        SimulatedWorld simulated = new SimulatedWorld(world, targets, scenario.start(), clock);
        MetricSources signals = new ScenarioSignals(scenario, scripted, simulated).sources();
        Recorder recorder = new Recorder(scenario.start(), clock);
        RemediationEngine engine = new RemediationEngine(new PolicyEngine(signals, clock), scripted, targets,
                new InMemoryStateStore(), simulated, remediation, HISTORY, clock, recorder, () -> true,
                simulated.registry(), simulated);

        List<Event> events = new ArrayList<>();
        List<TimelineEvent> timeline = new ArrayList<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        scenario.signals().keySet().forEach(signal -> samples.put(signal, new ArrayList<>()));
        Map<String, PolicyStatus> statuses = new HashMap<>();
        Map<String, Map<PolicyState, Duration>> timeIn = new LinkedHashMap<>();
        Map<String, Integer> firings = new HashMap<>();
        Map<String, Map<RemediationState, Duration>> targetTime = new LinkedHashMap<>();
        Map<String, TargetRecord> records = new HashMap<>();
        for (Duration offset = Duration.ZERO; offset.compareTo(scenario.duration()) <= 0;
                offset = offset.plus(scenario.step())) {
            Instant now = scenario.start().plus(offset);
            clock.set(now);
            simulated.advance(now);
            RemediationEngine.CycleReport cycle = engine.runCycle();
            Map<String, PolicyStatus> evaluated = new HashMap<>();
            for (Evaluation e : cycle.evaluations()) {
                evaluated.put(e.policy().key(), e.status());
            }
            for (String signal : scenario.signals().keySet()) {
                Policy policy = byKey.get(signal);
                PolicyStatus before = statuses.get(signal);
                PolicyStatus after = evaluated.get(signal);
                statuses.put(signal, after);
                samples.get(signal).add(new Sample(now, after.value(), after.state()));
                if (before == null || before.state() != after.state()) {
                    Event event = new Event(offset, now, signal, before == null ? null : before.state(), after.state(),
                            after.value(), note(policy, after, targetOf));
                    events.add(event);
                    if (before != null) {
                        timeline.add(marker(event));
                    }
                    if (after.state() == PolicyState.FIRING) {
                        firings.merge(signal, 1, Integer::sum);
                    }
                }
                if (offset.compareTo(scenario.duration()) < 0) {
                    timeIn.computeIfAbsent(signal, s -> new EnumMap<>(PolicyState.class))
                            .merge(after.state(), scenario.step(), Duration::plus);
                }
            }
            for (RemediationEngine.TargetReport report : cycle.targets()) {
                if (report.record() == null) {
                    continue;
                }
                records.put(report.target().name(), report.record());
                if (offset.compareTo(scenario.duration()) < 0) {
                    targetTime.computeIfAbsent(report.target().name(), t -> new EnumMap<>(RemediationState.class))
                            .merge(report.record().current().state(), scenario.step(), Duration::plus);
                }
            }
        }
        // What the world did comes first at a given time: the engine saw it in the cycle at that time.
        List<Step> steps = new ArrayList<>();
        for (TimelineEvent w : simulated.events()) {
            steps.add(new Step(Duration.between(scenario.start(), w.at()), w.at(), "world", "world", null, null,
                    w.text()));
        }
        steps.addAll(recorder.steps);
        steps.sort(java.util.Comparator.comparing(Step::at));
        steps.forEach(step -> milestone(step).ifPresent(timeline::add));
        timeline.sort(java.util.Comparator.comparing(TimelineEvent::at));

        List<SignalSummary> summaries = new ArrayList<>();
        timeIn.forEach((signal, times) -> summaries.add(new SignalSummary(signal, times, firings.getOrDefault(signal, 0))));
        List<TargetSummary> targetSummaries = new ArrayList<>();
        for (TargetSpec target : targets) {
            TargetRecord record = records.get(target.name());
            int started = (int) recorder.steps.stream()
                    .filter(s -> s.target().equals(target.name()) && s.kind().equals("job")).count();
            targetSummaries.add(new TargetSummary(target.name(),
                    Collections.unmodifiableMap(targetTime.getOrDefault(target.name(), Map.of())),
                    target.trainer().runKind(), started,
                    record == null ? List.of() : record.history(), target));
        }
        Map<String, List<Sample>> frozen = new LinkedHashMap<>();
        samples.forEach((signal, list) -> frozen.put(signal, List.copyOf(list)));
        return new Result(scenario, List.copyOf(events), List.copyOf(summaries), Collections.unmodifiableMap(frozen),
                List.copyOf(timeline), List.copyOf(steps), List.copyOf(targetSummaries));
    }

    private static List<String> responseSignals(World world) {
        List<String> keys = new ArrayList<>();
        world.afterPromotion().ifPresent(r -> keys.addAll(new TreeSet<>(r.signals().keySet())));
        world.afterRollback().ifPresent(r -> keys.addAll(new TreeSet<>(r.signals().keySet())));
        return keys;
    }

    /** The engine's persisted steps, as the replay shows them, at the virtual time they happened. */
    private static final class Recorder implements RemediationListener {
        private final Instant start;
        private final java.time.Clock clock;
        private final List<Replay.Step> steps = new ArrayList<>();

        Recorder(Instant start, java.time.Clock clock) {
            this.start = start;
            this.clock = clock;
        }

        @Override
        public void stepped(RemediationListener.Step step) {
            RemediationState from = step.before().current().state();
            RemediationState to = step.after().current().state();
            String kind = switch (step.decision()) {
                case Decision.CreateJob c -> "job";
                case Decision.TakeSnapshot t -> "snapshot";
                case Decision.Act a -> "action";
                case Decision.RecordDryRun d -> "dry-run";
                default -> from == to ? null : to.name().toLowerCase(Locale.ROOT).replace('_', '-');
            };
            if (kind != null) {
                add(step.target().name(), kind, from, to, step.after().reason());
            }
        }

        @Override
        public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
            add(target.name(), "failed", record.current().state(), record.current().state(),
                    action + " failed: " + message);
        }

        private void add(String target, String kind, RemediationState from, RemediationState to, String what) {
            Instant now = clock.instant();
            steps.add(new Replay.Step(Duration.between(start, now), now, target, kind, from, to, what));
        }
    }

    private static TimelineEvent marker(Event e) {
        String text = e.signal() + " " + e.from() + " -> " + e.to() + (e.note().isEmpty() ? "" : ": " + e.note());
        Map<String, Double> values = new LinkedHashMap<>();
        e.value().ifPresent(v -> values.put("value", v));
        return new TimelineEvent(e.at(), e.to().name().toLowerCase(Locale.ROOT), e.signal(), text, values);
    }

    /**
     * The report's marker for a remediation step, for the milestones only: the Job created, the world's doings, the
     * verdict, the end of a remediation. The target's own PENDING/FIRING repeat the signals' markers, and snapshot and
     * single actions are in the timeline table.
     */
    private static Optional<TimelineEvent> milestone(Step s) {
        String kind = switch (s.kind()) {
            case "job" -> "retraining";
            case "world" -> "world";
            case "promoting" -> "validated";
            case "rolling-back" -> "rollback";
            case "healthy" -> s.from() == RemediationState.VERIFYING ? "verified"
                    : s.from() == RemediationState.VALIDATING ? "retrained" : null;
            case "failed" -> "failed";
            case "dry-run" -> "dry-run";
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        String text = (s.target().equals("world") ? "world: " : s.target() + ": ") + s.what();
        return Optional.of(new TimelineEvent(s.at(), kind, null, text, Map.of()));
    }

    private static String note(Policy policy, PolicyStatus status, Map<String, String> targetOf) {
        return switch (status.state()) {
            case FIRING -> {
                String target = targetOf.get(policy.model());
                yield "fires" + (target == null ? " (no training target trains " + policy.model() + ")"
                        : "; training target " + target);
            }
            case INCONCLUSIVE -> status.reason().orElse("");
            case PENDING, HEALTHY -> "";
        };
    }
}
