package dev.modelguardian.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import dev.modelguardian.policy.Policy;
import dev.modelguardian.policy.Reduce;
import dev.modelguardian.signal.Observation;
import dev.modelguardian.signal.ScrapeParseResult;
import dev.modelguardian.signal.ScrapedSample;
import dev.modelguardian.signal.SignalQuery;
import dev.modelguardian.signal.Signals;
import dev.modelguardian.signal.SourceException;
import dev.modelguardian.signal.TimedObservation;

/**
 * The signals of a replay: what the scenario scripts for each {@code model/signal} at the virtual time asked, unless
 * the world's response to a promotion or rollback has set a value since. The policy engine reads these exactly as it
 * reads Prometheus, backfill included (before the scenario starts there is no data).
 */
final class ScenarioSignals implements Signals {

    private final Scenario scenario;
    private final SimulatedWorld world;
    private final Map<String, String> byQuery = new HashMap<>();
    private final Map<String, Policy> scrapes = new HashMap<>();
    /** The virtual time of the cycle in progress: a scrape has no time argument. */
    private volatile Instant now;

    ScenarioSignals(Scenario scenario, List<Policy> policies, SimulatedWorld world) {
        this.scenario = scenario;
        this.world = world;
        for (Policy p : policies) {
            switch (p.query()) {
                case SignalQuery.PromQl q -> {
                    String other = byQuery.putIfAbsent(q.query(), p.key());
                    if (other != null) {
                        throw new ScenarioException("signals." + p.key() + ": has the same query as " + other
                                + ", so a replay cannot tell them apart; script one of them");
                    }
                }
                case SignalQuery.Scrape s -> scrapes.put(p.key(), p);
            }
        }
    }

    @Override
    public Observation instant(SignalQuery.PromQl query, Reduce reduce, Instant at) {
        return read(byQuery.get(query.query()), at);
    }

    @Override
    public List<TimedObservation> history(SignalQuery.PromQl query, Reduce reduce, Instant end, Duration window) {
        String signal = byQuery.get(query.query());
        long steps = Math.max(1, window.toMillis() / scenario.step().toMillis());
        List<TimedObservation> points = new ArrayList<>((int) steps + 1);
        for (long i = steps; i >= 0; i--) {
            Instant at = end.minus(scenario.step().multipliedBy(i));
            points.add(new TimedObservation(at, read(signal, at)));
        }
        return points;
    }

    /** One scrape: a sample per scripted scrape signal with a value now; any scripted source error fails it whole. */
    @Override
    public ScrapeParseResult scrapeOnce() throws SourceException {
        List<ScrapedSample> samples = new ArrayList<>();
        for (var e : scrapes.entrySet()) {
            SignalQuery.Scrape q = (SignalQuery.Scrape) e.getValue().query();
            Observation o = read(e.getKey(), now);
            switch (o) {
                case Observation.Value v -> samples.add(new ScrapedSample(q.metric(), q.labels(), v.value(),
                        java.util.OptionalLong.empty()));
                case Observation.NoData n -> {
                }
                case Observation.SourceError err -> throw new SourceException(err.message());
            }
        }
        return new ScrapeParseResult(samples, List.of());
    }

    /** Sets the virtual time of the cycle about to run. */
    void at(Instant cycle) {
        this.now = cycle;
    }

    private Observation read(String signal, Instant at) {
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
}
