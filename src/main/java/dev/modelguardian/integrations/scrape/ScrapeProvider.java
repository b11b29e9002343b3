package dev.modelguardian.integrations.scrape;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.SourceChecks;
import dev.modelguardian.config.extension.SourceProvider;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.ScriptedSignals;
import dev.modelguardian.core.signal.SignalQuery;

/**
 * A directly scraped text-format endpoint, whole: {@code guardian.scrape.*} validated, a signal's {@code metric} and
 * {@code labels}, the {@code doctor} checks (one fetch for every scrape signal: it answers, then what each reads) and
 * the {@link ScrapeSource}.
 */
public final class ScrapeProvider implements SourceProvider {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Override
    public String kind() {
        return ScrapeSource.KIND;
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(ScrapeSettings.class);
    }

    @Override
    public void validate(Settings settings, List<ConfigProblem> problems) {
        ScrapeSettings scrape = settings.of(ScrapeSettings.class);
        scrape.url().ifPresent(url -> ConfigValidator.url(problems, "guardian.scrape.url", url,
                "http://prometheus.monitoring:9090", "username/password or bearer-token"));
        ConfigValidator.positive(problems, "guardian.scrape.timeout", scrape.timeout(), "e.g. 5s");
    }

    @Override
    public void validateSignal(String prefix, GuardianConfig.Signal signal, List<ConfigProblem> problems) {
        Optional<String> metric = signal.metric().filter(m -> !m.isBlank());
        if (metric.isEmpty()) {
            problems.add(new ConfigProblem(prefix + ".metric",
                    "empty metric name; the scrape source selects a metric by name (and optional labels)"));
        } else if (!METRIC_NAME.matcher(metric.get()).matches()) {
            problems.add(new ConfigProblem(prefix + ".metric",
                    "'" + metric.get() + "' is not a metric name; use letters, digits, '_' and ':'"));
        }
        if (signal.query().isPresent()) {
            problems.add(new ConfigProblem(prefix + ".query",
                    "'query' is PromQL for the prometheus source; the scrape source uses 'metric' and 'labels'"));
        }
    }

    @Override
    public Optional<ConfigProblem> unconfigured(Settings settings, String signal) {
        if (settings.of(ScrapeSettings.class).url().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new ConfigProblem("guardian.scrape.url", "not set, but signal " + signal
                + " reads the scrape source; set GUARDIAN_SCRAPE_URL (e.g. http://localhost:8000/metrics)"));
    }

    @Override
    public SignalQuery query(GuardianConfig.Signal signal) {
        return new ScrapeQuery(signal.metric().orElseThrow(), signal.labels());
    }

    @Override
    public List<Check> doctor(Settings settings, List<Policy> policies, MetricSource.Cycle cycle) {
        // One fetch for every scrape signal; only a failed fetch makes a scrape read a source error.
        List<Observation> seen = policies.stream().map(p -> cycle.read(p.query(), p.reduce())).toList();
        Optional<Observation.SourceError> failed = seen.stream()
                .flatMap(o -> o instanceof Observation.SourceError e ? Stream.of(e) : Stream.empty()).findFirst();
        if (failed.isPresent()) {
            return List.of(Check.fail("scrape", "the scrape source did not answer: " + failed.get().message() + "; "
                    + policies.size() + " signals not checked", "check guardian.scrape.url (GUARDIAN_SCRAPE_URL)"));
        }
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            checks.add(SourceChecks.judge(policies.get(i), seen.get(i), Optional.empty()));
        }
        return List.copyOf(checks);
    }

    @Override
    public MetricSource source(Settings settings, ObjectMapper mapper) {
        return ScrapeSource.from(settings.of(ScrapeSettings.class));
    }

    /** One fetch of the whole endpoint per cycle, shared by its signals. */
    @Override
    public String readOperation() {
        return "scrape";
    }

    /** The production source over a simulated scrape (see {@link ScrapeSource#scripted}). */
    @Override
    public MetricSource scripted(ScriptedSignals script) {
        return ScrapeSource.scripted(script);
    }
}
