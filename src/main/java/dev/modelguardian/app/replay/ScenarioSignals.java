package dev.modelguardian.app.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.core.signal.TimedObservation;
import dev.modelguardian.integrations.prometheus.PrometheusSource;
import dev.modelguardian.integrations.scrape.ScrapeParseResult;
import dev.modelguardian.integrations.scrape.ScrapeSource;
import dev.modelguardian.integrations.scrape.ScrapedSample;

/**
 * The signals of a replay: what the scenario scripts for each {@code model/signal} at the virtual time asked, unless
 * the world's response to a promotion or rollback has set a value since. The policy engine reads these through the
 * same {@link MetricSources} port as production ({@link #sources()}): a simulated {@code prometheus} source, backfill
 * included (before the scenario starts there is no data), and the production {@link ScrapeSource} over a simulated
 * scrape.
 */
final class ScenarioSignals {

    private final Scenario scenario;
    private final SimulatedWorld world;
    private final Map<String, String> byQuery = new HashMap<>();
    private final Map<String, Policy> scrapes = new HashMap<>();

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

    /** The replay's sources, one per kind a configuration can name. */
    MetricSources sources() {
        return MetricSources.of(new ScriptedPrometheus(), new ScrapeSource(this::scrape));
    }

    /** Prometheus as the scenario scripts it: a PromQL query reads the signal whose query it is. */
    private final class ScriptedPrometheus implements MetricSource {

        @Override
        public String kind() {
            return PrometheusSource.KIND;
        }

        @Override
        public Cycle open(Instant at) {
            return new Cycle() {
                @Override
                public Observation read(SignalQuery query, Reduce reduce) {
                    return ScenarioSignals.this.read(signalOf(query), at);
                }

                @Override
                public History history(SignalQuery query, Reduce reduce, Duration window) {
                    return new History.Points(ScenarioSignals.this.history(signalOf(query), at, window));
                }
            };
        }

        private String signalOf(SignalQuery query) {
            if (query instanceof SignalQuery.PromQl promQl) {
                return byQuery.get(promQl.query());
            }
            throw new IllegalArgumentException("the scripted prometheus source reads PromQL, not " + query.describe());
        }
    }

    private List<TimedObservation> history(String signal, Instant end, Duration window) {
        long steps = Math.max(1, window.toMillis() / scenario.step().toMillis());
        List<TimedObservation> points = new ArrayList<>((int) steps + 1);
        for (long i = steps; i >= 0; i--) {
            Instant at = end.minus(scenario.step().multipliedBy(i));
            points.add(new TimedObservation(at, read(signal, at)));
        }
        return points;
    }

    /** One scrape: a sample per scripted scrape signal with a value now; any scripted source error fails it whole. */
    private ScrapeParseResult scrape(Instant now) throws SourceException {
        List<ScrapedSample> samples = new ArrayList<>();
        for (var e : scrapes.entrySet()) {
            SignalQuery.Scrape q = (SignalQuery.Scrape) e.getValue().query();
            Observation o = read(e.getKey(), now);
            switch (o) {
                case Observation.Value v -> samples.add(new ScrapedSample(q.metric(), q.labels(), v.value(),
                        OptionalLong.empty()));
                case Observation.NoData n -> {
                }
                case Observation.SourceError err -> throw new SourceException(err.message());
            }
        }
        return new ScrapeParseResult(samples, List.of());
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
