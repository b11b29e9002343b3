package dev.modelguardian.app.replay;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;

import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.SignalRange;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.core.signal.TimedObservation;

/**
 * The signals of a replay taken from Prometheus ({@code replay --prometheus URL --from T --to T --step D}): one range
 * query per PromQL policy over the period, turned into {@link Segment.Recorded} segments so the replay evaluates
 * exactly what a live read at each step would have seen. Every error names the flag and the fix.
 */
public final class PrometheusHistory {

    /** Most evaluations one replay asks of Prometheus per signal (Prometheus refuses more than 11,000 points). */
    public static final int MAX_POINTS = SignalRange.MAX_POINTS;

    private PrometheusHistory() {
    }

    /** The period to replay: every {@code step} from {@code from} up to {@code to}. */
    public record Period(Instant from, Instant to, Duration step) {

        public long points() {
            return Duration.between(from, to).toMillis() / step.toMillis() + 1;
        }
    }

    /** Checks {@code --prometheus}: an http(s) URL with a host. */
    public static URI url(String text) {
        String fix = "; write the Prometheus API root, e.g. --prometheus http://prometheus.monitoring:9090";
        if (text == null || text.isBlank()) {
            throw new ScenarioException("--prometheus: no URL given" + fix);
        }
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new ScenarioException("--prometheus: '" + text + "' is not an http(s) URL with a host" + fix);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ScenarioException("--prometheus: '" + text + "' is not a URL (" + e.getReason() + ")" + fix);
        }
    }

    /**
     * Parses and checks {@code --from}, {@code --to} and {@code --step}: {@code from} before {@code to}, a positive
     * step, and at most {@link #MAX_POINTS} evaluations.
     */
    public static Period period(String from, String to, String step, Instant now) {
        Instant start = time("--from", from, now);
        Instant end = time("--to", to, now);
        if (!start.isBefore(end)) {
            throw new ScenarioException("--from " + from + " (" + start + ") is not before --to " + to + " (" + end
                    + "); give a --from earlier than --to, e.g. --from -6h --to now");
        }
        Duration d = step(step);
        Period period = new Period(start, end, d);
        if (period.points() > MAX_POINTS) {
            long minSeconds = Math.ceilDiv(Duration.between(start, end).toMillis(), (MAX_POINTS - 1) * 1000L);
            throw new ScenarioException("--step " + step + ": " + start + " to " + end + " is " + period.points()
                    + " evaluations per signal, more than " + MAX_POINTS + "; use --step " + minSeconds
                    + "s or more, or a shorter period");
        }
        return period;
    }

    /** RFC 3339 ({@code 2026-02-14T00:00:00Z}), unix seconds ({@code 1771027200}), {@code now} or {@code -6h}. */
    static Instant time(String flag, String text, Instant now) {
        String fix = "; write RFC 3339 (2026-02-14T00:00:00Z), unix seconds (1771027200), now, or a duration before"
                + " now (-6h)";
        if (text == null || text.isBlank()) {
            throw new ScenarioException(flag + ": no time given" + fix);
        }
        String t = text.strip();
        if (t.equals("now")) {
            return now;
        }
        if (t.startsWith("-") || t.startsWith("now-")) {
            String ago = t.substring(t.indexOf('-') + 1);
            try {
                Duration d = new DurationConverter().convert(ago);
                if (d != null && !d.isNegative()) {
                    return now.minus(d);
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new ScenarioException(flag + ": '" + text + "' is not a time" + fix);
        }
        if (t.matches("\\d{1,12}(\\.\\d{1,9})?")) {
            BigDecimal seconds = new BigDecimal(t);
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new ScenarioException(flag + ": '" + text + "' is not a time" + fix);
        }
    }

    private static Duration step(String text) {
        String fix = "; write a positive duration, e.g. --step 1m (or 30s, 15, PT1M)";
        if (text == null || text.isBlank()) {
            throw new ScenarioException("--step: no duration given" + fix);
        }
        Duration d;
        try {
            d = text.strip().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text.strip()))
                    : new DurationConverter().convert(text.strip());
        } catch (RuntimeException e) {
            throw new ScenarioException("--step: '" + text + "' is not a duration" + fix);
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ScenarioException("--step: '" + text + "' is not positive" + fix);
        }
        return d;
    }

    /**
     * Reads every PromQL policy over the period and returns the replay input: the signals as recorded, the clock of
     * the period, and the world ({@code world}'s name, and later its responses) from the scenario. Signals of other
     * kinds (scrape: it keeps no history) are left out, named in the description as scrape signals, the only other
     * kind shipped. Any failed query fails the whole load.
     */
    public static Scenario load(SignalRange prometheus, URI url, List<Policy> policies, Period period,
            Scenario world) {
        Map<String, List<Segment>> signals = new LinkedHashMap<>();
        List<String> withoutRange = new ArrayList<>();
        for (Policy policy : policies) {
            if (!policy.query().kind().equals(prometheus.kind())) {
                withoutRange.add(policy.key());
                continue;
            }
            List<TimedObservation> history;
            try {
                history = prometheus.range(policy.query(), policy.reduce(), period.from(), period.to(), period.step());
            } catch (SourceException e) {
                throw new ScenarioException("--prometheus " + url + ": the range query of " + policy.key() + " failed: "
                        + e.getMessage() + "; check the URL (the Prometheus API root) and that it is reachable");
            }
            List<Segment> segments = new ArrayList<>(history.size());
            for (TimedObservation point : history) {
                segments.add(new Segment.Recorded(Duration.between(period.from(), point.at()), point.observation()));
            }
            signals.put(policy.key(), List.copyOf(segments));
        }
        if (signals.isEmpty()) {
            throw new ScenarioException("--prometheus: the configuration has no prometheus-source signal to read; "
                    + "give a --config whose signals have a 'query'");
        }
        String description = "Signals from " + url + ": " + signals.size() + " range queries, one point every "
                + Durations.format(period.step()) + "."
                + (withoutRange.isEmpty() ? "" : " Scrape signals have no history and are left out: "
                        + String.join(", ", withoutRange) + ".");
        String name = world == null ? "prometheus" : world.name() + " (signals from Prometheus)";
        return new Scenario(name, description, period.from(), Duration.between(period.from(), period.to()),
                period.step(), signals, world == null ? World.DEFAULT : world.world());
    }
}
