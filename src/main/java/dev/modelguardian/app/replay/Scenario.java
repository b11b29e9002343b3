package dev.modelguardian.app.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import io.quarkus.runtime.configuration.DurationConverter;

import dev.modelguardian.core.signal.Observation;

/**
 * A scripted metric history: what each signal ({@code model/signal}) reads over time. The format is documented in
 * docs/replay.md; every error names the field and the fix.
 *
 * @param name        scenario name
 * @param description one line on what it shows
 * @param start       the virtual clock's start
 * @param duration    how long to replay
 * @param step        evaluation interval of the virtual clock (like {@code guardian.interval})
 * @param signals     segments per {@code model/signal}, each list ordered by {@code at}
 * @param world       what the world does in response to the guardian (training, MLflow, the live signals)
 */
public record Scenario(String name, String description, Instant start, Duration duration, Duration step,
        Map<String, List<Segment>> signals, World world) {

    /** Scenarios shipped in the jar, the first being the default of {@code replay}. */
    public static final String BUNDLED_NAMES = "drift-incident, bad-candidate, flapping, prometheus-gap, argo-retrain";
    public static final List<String> BUNDLED = List.of(BUNDLED_NAMES.split(", "));

    /**
     * The classpath resource of a bundled scenario (in the native image through quarkus.native.resources.includes).
     */
    public static String bundledResource(String name) {
        return "scenarios/" + name + ".yaml";
    }

    /** A bundled scenario by name. */
    public static Scenario bundled(String name) {
        String resource = bundledResource(name);
        try (InputStream in = Scenario.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ScenarioException("no bundled scenario '" + name + "'; bundled: " + String.join(", ", BUNDLED)
                        + " (or give a scenario file path)");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new ScenarioException("cannot read bundled scenario " + resource + ": " + e.getMessage());
        }
    }

    /** A scenario file. */
    public static Scenario file(Path path) {
        try {
            return parse(Files.readString(path), path.toString());
        } catch (IOException e) {
            throw new ScenarioException(path + ": cannot read the file (" + e.getMessage() + ")");
        }
    }

    /** Parses scenario YAML; {@code origin} names the source in error messages. */
    public static Scenario parse(String yaml, String origin) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new ScenarioException(origin + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("")
                    + ")");
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ScenarioException(origin + ": expected a mapping with name, start, duration, step and signals");
        }
        Fields f = new Fields(origin, map);
        String name = f.string("name", null);
        String description = f.string("description", "");
        Instant start = f.instant("start", Instant.parse("2026-01-01T00:00:00Z"));
        Duration duration = f.duration("duration", null);
        Duration step = f.duration("step", Duration.ofMinutes(1));
        if (duration.isNegative() || duration.isZero()) {
            throw new ScenarioException(origin + ": duration must be positive, e.g. 6h");
        }
        if (step.isNegative() || step.isZero() || step.compareTo(duration) > 0) {
            throw new ScenarioException(origin + ": step must be positive and at most the duration, e.g. 1m");
        }
        Map<String, List<Segment>> signals = new LinkedHashMap<>();
        Object rawSignals = map.get("signals");
        if (!(rawSignals instanceof Map<?, ?> signalMap) || signalMap.isEmpty()) {
            throw new ScenarioException(origin + ": signals: expected a mapping of 'model/signal' to segments");
        }
        signalMap.forEach((key, value) -> {
            String signal = String.valueOf(key);
            if (!signal.contains("/")) {
                throw new ScenarioException(origin + ": signals." + signal + ": name signals as model/signal, e.g."
                        + " ticket-duration-predictor/mae-percentage");
            }
            signals.put(signal, segments(origin + ": signals." + signal, value));
        });
        return new Scenario(name, description, start, duration, step, signals,
                map.containsKey("world") ? world(origin + ": world", map.get("world")) : World.DEFAULT);
    }

    private static World world(String where, Object raw) {
        Map<?, ?> map = mapping(where, raw, "training, registry, after-promotion, after-rollback");
        World.Training training = World.DEFAULT.training();
        if (map.containsKey("training")) {
            String here = where + ".training";
            Map<?, ?> fields = mapping(here, map.get("training"), "takes, outcome, trigger, from");
            Fields f = new Fields(here, fields);
            String outcome = f.string("outcome", "succeeds");
            if (!outcome.equals("succeeds") && !outcome.equals("fails")) {
                throw new ScenarioException(here + ".outcome: '" + outcome + "'; write succeeds or fails");
            }
            Optional<String> trigger = fields.containsKey("trigger") ? Optional.of(f.string("trigger", ""))
                    : Optional.empty();
            List<String> kinds = dev.modelguardian.app.wiring.Extensions.triggerKinds();
            if (trigger.isPresent() && !kinds.contains(trigger.get())) {
                throw new ScenarioException(here + ".trigger: '" + trigger.get() + "'; write one of "
                        + String.join(", ", kinds));
            }
            Optional<String> from = fields.containsKey("from") ? Optional.of(f.string("from", "")) : Optional.empty();
            if (from.isPresent() && trigger.isEmpty()) {
                throw new ScenarioException(here + ".from: only with trigger; write the trigger kind that starts runs"
                        + " from " + from.get());
            }
            training = new World.Training(f.duration("takes", training.takes()), outcome.equals("succeeds"), trigger,
                    from);
            if (training.takes().isNegative() || training.takes().isZero()) {
                throw new ScenarioException(here + ".takes: must be positive, e.g. 45m");
            }
        }
        Optional<Map<String, World.Model>> registry = Optional.empty();
        if (map.containsKey("registry")) {
            String here = where + ".registry";
            Map<String, World.Model> models = new LinkedHashMap<>();
            Object rawRegistry = map.get("registry");
            if (!(rawRegistry instanceof Map<?, ?> registryMap) || registryMap.isEmpty()) {
                throw new ScenarioException(here + ": expected a mapping of configured model names to"
                        + " {serving: {version, metrics}, candidate: {metric: value}}");
            }
            registryMap.forEach((model, value) -> models.put(String.valueOf(model),
                    model(here + "." + model, value)));
            registry = Optional.of(models);
        }
        return new World(training, registry, response(where, map, "after-promotion"),
                response(where, map, "after-rollback"));
    }

    private static World.Model model(String where, Object raw) {
        Map<?, ?> map = mapping(where, raw, "serving, candidate");
        String version = "1";
        Map<String, Double> servingMetrics = Map.of();
        if (map.containsKey("serving")) {
            String here = where + ".serving";
            Map<?, ?> serving = mapping(here, map.get("serving"), "version, metrics");
            version = new Fields(here, serving).string("version", "1");
            if (!version.matches("[1-9][0-9]{0,5}")) {
                throw new ScenarioException(here + ".version: '" + version + "' is not a model version; write a"
                        + " positive number such as 7");
            }
            servingMetrics = serving.containsKey("metrics") ? numbers(here + ".metrics", serving.get("metrics"))
                    : Map.of();
        }
        Optional<Map<String, Double>> candidate = map.containsKey("candidate")
                ? Optional.of(numbers(where + ".candidate", map.get("candidate")))
                : Optional.empty();
        return new World.Model(version, servingMetrics, candidate);
    }

    private static Optional<World.Response> response(String where, Map<?, ?> world, String key) {
        if (!world.containsKey(key)) {
            return Optional.empty();
        }
        String here = where + "." + key;
        Map<?, ?> map = mapping(here, world.get(key), "takes, signals");
        Duration takes = new Fields(here, map).duration("takes", Duration.ZERO);
        if (takes.isNegative()) {
            throw new ScenarioException(here + ".takes: must not be negative, e.g. 3m");
        }
        if (!map.containsKey("signals")) {
            throw new ScenarioException(here + ": 'signals' is required: the value each model/signal reads from then"
                    + " on, e.g. {ticket-duration-predictor/mae-percentage: 12.5}");
        }
        return Optional.of(new World.Response(takes, numbers(here + ".signals", map.get("signals"))));
    }

    private static Map<?, ?> mapping(String where, Object raw, String known) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw new ScenarioException(where + ": expected a mapping with " + known);
        }
        List<String> allowed = List.of(known.split(", "));
        for (Object key : map.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                throw new ScenarioException(where + "." + key + ": unknown field; expected " + known);
            }
        }
        return map;
    }

    private static Map<String, Double> numbers(String where, Object raw) {
        if (!(raw instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new ScenarioException(where + ": expected a mapping of names to numbers, e.g. {mae_percentage: 11.8}");
        }
        Map<String, Double> numbers = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!(v instanceof Number n)) {
                throw new ScenarioException(where + "." + k + ": expected a number, got '" + v + "'");
            }
            numbers.put(String.valueOf(k), n.doubleValue());
        });
        return numbers;
    }

    private static List<Segment> segments(String where, Object raw) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new ScenarioException(where + ": expected a list of segments like '- {at: 0m, value: 12}'");
        }
        List<Segment> segments = new ArrayList<>();
        Duration previous = null;
        for (int i = 0; i < list.size(); i++) {
            String here = where + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new ScenarioException(here + ": expected a mapping like {at: 0m, value: 12}");
            }
            Fields f = new Fields(here, m);
            Duration at = f.duration("at", null);
            if (previous != null && at.compareTo(previous) <= 0) {
                throw new ScenarioException(here + ".at: segments must be in increasing 'at' order");
            }
            previous = at;
            int kinds = (m.containsKey("value") ? 1 : 0) + (m.containsKey("ramp") ? 1 : 0)
                    + (m.containsKey("gap") ? 1 : 0) + (m.containsKey("nan") ? 1 : 0) + (m.containsKey("error") ? 1 : 0);
            if (kinds != 1) {
                throw new ScenarioException(here + ": set exactly one of value, ramp, gap, nan or error");
            }
            if (m.containsKey("value")) {
                segments.add(new Segment.Constant(at, f.number("value")));
            } else if (m.containsKey("ramp")) {
                if (!(m.get("ramp") instanceof List<?> ramp) || ramp.size() != 2
                        || !(ramp.get(0) instanceof Number a) || !(ramp.get(1) instanceof Number b)) {
                    throw new ScenarioException(here + ".ramp: expected two numbers [from, to], e.g. [12, 26]");
                }
                segments.add(new Segment.Ramp(at, a.doubleValue(), b.doubleValue()));
            } else if (m.containsKey("gap")) {
                segments.add(new Segment.Gap(at));
            } else if (m.containsKey("nan")) {
                segments.add(new Segment.NaN(at));
            } else {
                segments.add(new Segment.SourceError(at, f.string("error", null)));
            }
        }
        return List.copyOf(segments);
    }

    /** What the scripted signal reads at {@code offset} from the start; before the first segment: no data. */
    public Observation observe(String signal, Duration offset) {
        List<Segment> segments = signals.get(signal);
        int index = lastStartingAtOrBefore(segments, offset);
        Segment current = index < 0 ? null : segments.get(index);
        Duration next = index >= 0 && index + 1 < segments.size() ? segments.get(index + 1).at() : duration;
        if (current == null) {
            return Observation.noData();
        }
        return switch (current) {
            case Segment.Constant c -> Observation.of(c.value());
            case Segment.Ramp r -> {
                double span = Math.max(1, next.minus(r.at()).toMillis());
                double fraction = Math.min(1, offset.minus(r.at()).toMillis() / span);
                yield Observation.of(r.from() + (r.to() - r.from()) * fraction);
            }
            case Segment.Gap g -> Observation.noData();
            case Segment.NaN n -> Observation.of(Double.NaN);
            case Segment.SourceError e -> Observation.error(e.message());
            case Segment.Recorded r -> r.observation();
        };
    }

    /** Binary search: the index of the last segment whose {@code at} is at or before {@code offset}, or -1. */
    private static int lastStartingAtOrBefore(List<Segment> segments, Duration offset) {
        int low = 0;
        int high = segments.size() - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (segments.get(mid).at().compareTo(offset) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Typed access to a YAML mapping, with messages naming the field. */
    private record Fields(String where, Map<?, ?> map) {

        String string(String key, String fallback) {
            Object v = map.get(key);
            if (v == null) {
                if (fallback == null) {
                    throw new ScenarioException(where + ": '" + key + "' is required");
                }
                return fallback;
            }
            return String.valueOf(v);
        }

        double number(String key) {
            Object v = map.get(key);
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw new ScenarioException(where + "." + key + ": expected a number, got '" + v + "'");
        }

        Duration duration(String key, Duration fallback) {
            Object v = map.get(key);
            if (v == null) {
                if (fallback == null) {
                    throw new ScenarioException(where + ": '" + key + "' is required (a duration such as 30m)");
                }
                return fallback;
            }
            if (v instanceof Number n && n.intValue() == 0) {
                return Duration.ZERO;
            }
            try {
                return new DurationConverter().convert(String.valueOf(v));
            } catch (RuntimeException e) {
                throw new ScenarioException(where + "." + key + ": '" + v + "' is not a duration; write e.g. 90s,"
                        + " 30m, 2h or PT1H30M");
            }
        }

        Instant instant(String key, Instant fallback) {
            Object v = map.get(key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof java.util.Date date) {
                return date.toInstant();
            }
            try {
                return Instant.parse(String.valueOf(v));
            } catch (DateTimeParseException e) {
                throw new ScenarioException(where + "." + key + ": '" + v + "' is not an instant; write e.g."
                        + " 2026-02-14T00:00:00Z");
            }
        }
    }
}
