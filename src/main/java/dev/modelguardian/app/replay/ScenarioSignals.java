package dev.modelguardian.app.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.ScriptedSignals;
import dev.modelguardian.core.signal.SignalQuery;

/**
 * The signals of a replay: what the scenario scripts for each {@code model/signal} at the virtual time asked, unless
 * the world's response to a promotion or rollback has set a value since. The policy engine reads these through the
 * same {@link MetricSources} port as production ({@link #sources()}): each registered source's scripted form, which
 * finds the signal by its query.
 */
final class ScenarioSignals implements ScriptedSignals {

    private final Scenario scenario;
    private final SimulatedWorld world;
    /** Each signal's query -> the signal ({@code model/signal}), in the policies' order. */
    private final Map<SignalQuery, String> byQuery = new LinkedHashMap<>();
    private final List<SignalQuery> queries;

    ScenarioSignals(Scenario scenario, List<Policy> policies, SimulatedWorld world) {
        this.scenario = scenario;
        this.world = world;
        for (Policy p : policies) {
            String other = byQuery.putIfAbsent(p.query(), p.key());
            if (other != null) {
                throw new ScenarioException("signals." + p.key() + ": has the same query as " + other
                        + ", so a replay cannot tell them apart; script one of them");
            }
        }
        this.queries = List.copyOf(byQuery.keySet());
    }

    /** The replay's sources, one per kind a configuration can name. */
    MetricSources sources() {
        return Extensions.scripted(this);
    }

    @Override
    public Observation read(SignalQuery query, Instant at) {
        String signal = byQuery.get(query);
        if (signal == null) {
            return Observation.noData();
        }
        Duration offset = Duration.between(scenario.start(), at);
        if (offset.isNegative()) {
            return Observation.noData();
        }
        OptionalDouble override = world.override(signal);
        return override.isPresent() ? Observation.of(override.getAsDouble()) : scenario.observe(signal, offset);
    }

    @Override
    public Duration step() {
        return scenario.step();
    }

    @Override
    public List<SignalQuery> queries() {
        return queries;
    }
}
