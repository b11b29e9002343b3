package dev.modelguardian.replay;

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
import java.util.OptionalDouble;
import java.util.TreeSet;

import dev.modelguardian.config.ModelSet;
import dev.modelguardian.policy.Policy;
import dev.modelguardian.policy.PolicyEvaluator;
import dev.modelguardian.policy.PolicyState;
import dev.modelguardian.policy.PolicyStatus;

/**
 * Runs the production decision code ({@link PolicyEvaluator}) over a scenario on a virtual clock: one evaluation per
 * {@code step}, exactly as {@code serve} evaluates once per {@code guardian.interval}.
 */
public final class Replay {

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
     * The timeline and summary of a replay.
     *
     * @param events    every change of a signal's state, the first evaluation of each signal included
     * @param summaries time in each state per signal
     * @param samples   every evaluation per signal, in time order (what the report charts)
     * @param timeline  the events drawn as markers: every state change after the first evaluation, in time order
     */
    public record Result(Scenario scenario, List<Event> events, List<SignalSummary> summaries,
            Map<String, List<Sample>> samples, List<TimelineEvent> timeline) {

        public List<Event> eventsOf(String signal) {
            return events.stream().filter(e -> e.signal().equals(signal)).toList();
        }
    }

    public static Result run(Scenario scenario, List<Policy> policies, ModelSet models) {
        Map<String, Policy> byKey = new LinkedHashMap<>();
        policies.forEach(p -> byKey.put(p.key(), p));
        for (String signal : scenario.signals().keySet()) {
            if (!byKey.containsKey(signal)) {
                throw new ScenarioException("signals." + signal + ": no such signal in the configuration; known: "
                        + String.join(", ", new TreeSet<>(byKey.keySet())));
            }
        }
        Map<String, String> targetOf = new HashMap<>();
        models.targets().forEach((target, t) -> t.models().forEach(m -> targetOf.put(m, target)));

        List<Event> events = new ArrayList<>();
        List<TimelineEvent> timeline = new ArrayList<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        scenario.signals().keySet().forEach(signal -> samples.put(signal, new ArrayList<>()));
        Map<String, PolicyStatus> statuses = new HashMap<>();
        Map<String, Map<PolicyState, Duration>> timeIn = new LinkedHashMap<>();
        Map<String, Integer> firings = new HashMap<>();
        for (Duration offset = Duration.ZERO; offset.compareTo(scenario.duration()) <= 0;
                offset = offset.plus(scenario.step())) {
            Instant now = scenario.start().plus(offset);
            for (String signal : scenario.signals().keySet()) {
                Policy policy = byKey.get(signal);
                PolicyStatus before = statuses.get(signal);
                PolicyStatus after = PolicyEvaluator.evaluate(policy, before == null ? PolicyStatus.unknown(now) : before,
                        scenario.observe(signal, offset), now);
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
        }
        List<SignalSummary> summaries = new ArrayList<>();
        timeIn.forEach((signal, times) -> summaries.add(new SignalSummary(signal, times, firings.getOrDefault(signal, 0))));
        Map<String, List<Sample>> frozen = new LinkedHashMap<>();
        samples.forEach((signal, list) -> frozen.put(signal, List.copyOf(list)));
        return new Result(scenario, List.copyOf(events), List.copyOf(summaries), Collections.unmodifiableMap(frozen),
                List.copyOf(timeline));
    }

    private static TimelineEvent marker(Event e) {
        String text = e.signal() + " " + e.from() + " -> " + e.to() + (e.note().isEmpty() ? "" : ": " + e.note());
        Map<String, Double> values = new LinkedHashMap<>();
        e.value().ifPresent(v -> values.put("value", v));
        return new TimelineEvent(e.at(), e.to().name().toLowerCase(Locale.ROOT), e.signal(), text, values);
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
