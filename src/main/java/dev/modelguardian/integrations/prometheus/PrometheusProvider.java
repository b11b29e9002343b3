package dev.modelguardian.integrations.prometheus;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.ScriptedSignals;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.core.signal.SignalRange;
import dev.modelguardian.integrations.kubernetes.NeuralHiveDefaults;

/**
 * Prometheus, whole: {@code guardian.prometheus.*} validated, a signal's {@code query} (PromQL), the {@code doctor}
 * checks (Prometheus answers {@code vector(1)}, then every PromQL signal has data, with the deployed metric name when
 * a query uses the runbook's) and the {@link PrometheusSource}.
 */
public final class PrometheusProvider implements SourceProvider {

    @Override
    public String kind() {
        return PrometheusSource.KIND;
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(PrometheusSettings.class);
    }

    @Override
    public void validate(Settings settings, List<ConfigProblem> problems) {
        PrometheusSettings prometheus = settings.of(PrometheusSettings.class);
        prometheus.url().ifPresent(url -> ConfigValidator.url(problems, "guardian.prometheus.url", url,
                "http://prometheus.monitoring:9090", "username/password or bearer-token"));
        ConfigValidator.positive(problems, "guardian.prometheus.timeout", prometheus.timeout(), "e.g. 10s");
        ConfigValidator.positive(problems, "guardian.prometheus.backfill-step", prometheus.backfillStep(),
                "e.g. 15s");
        if (prometheus.maxConcurrency() < 1) {
            problems.add(new ConfigProblem("guardian.prometheus.max-concurrency",
                    prometheus.maxConcurrency() + " is below 1; use a small count such as 4"));
        }
        if (prometheus.username().isPresent() != prometheus.password().isPresent()) {
            problems.add(new ConfigProblem("guardian.prometheus.username",
                    "basic auth needs both username and password; set both or neither"));
        }
        if (prometheus.bearerToken().isPresent() && prometheus.username().isPresent()) {
            problems.add(new ConfigProblem("guardian.prometheus.bearer-token",
                    "both a bearer token and basic auth are set; keep one"));
        }
    }

    @Override
    public void validateSignal(String prefix, GuardianConfig.Signal signal, List<ConfigProblem> problems) {
        if (signal.query().map(String::isBlank).orElse(true)) {
            problems.add(new ConfigProblem(prefix + ".query", "empty query; set the PromQL expression to evaluate,"
                    + " e.g. max(orchestration_ml_drift_score{drift_type=\"feature\"})"));
        }
        if (signal.metric().isPresent() || !signal.labels().isEmpty()) {
            problems.add(new ConfigProblem(prefix + ".metric",
                    "'metric' and 'labels' belong to the scrape source; use 'query' with source prometheus"));
        }
        // A breakdown splits max(...) or min(...) of the labelled series; say so now, not in a post-mortem.
        signal.breakdown().filter(label -> label.matches("[a-zA-Z_][a-zA-Z0-9_]*")).ifPresent(label -> signal.query()
                .filter(q -> !q.isBlank() && PrometheusSource.splitBy(q, label).isEmpty())
                .ifPresent(q -> problems.add(new ConfigProblem(prefix + ".breakdown", "'" + label + "' can only split"
                        + " a query that is max(...) or min(...) of the series that carry it, not " + q
                        + "; write the query that way or remove breakdown"))));
    }

    @Override
    public Optional<ConfigProblem> unconfigured(Settings settings, String signal) {
        if (settings.of(PrometheusSettings.class).url().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new ConfigProblem("guardian.prometheus.url", "not set, but signal " + signal
                + " reads Prometheus; set GUARDIAN_PROMETHEUS_URL (e.g. http://prometheus.monitoring:9090)"));
    }

    @Override
    public SignalQuery query(GuardianConfig.Signal signal) {
        return new PromQlQuery(signal.query().orElseThrow());
    }

    @Override
    public List<Check> doctor(Settings settings, List<Policy> policies, MetricSource.Cycle cycle) {
        List<Check> checks = new ArrayList<>();
        String url = settings.of(PrometheusSettings.class).url().orElse("(not set)");
        Observation answer = cycle.read(new PromQlQuery("vector(1)"), Reduce.MAX);
        if (answer instanceof Observation.SourceError error) {
            checks.add(Check.fail("prometheus", "Prometheus at " + url + " did not answer: " + error.message()
                    + "; no signal was queried", "check guardian.prometheus.url (GUARDIAN_PROMETHEUS_URL), its"
                            + " credentials and the network path to it"));
            return List.copyOf(checks);
        }
        checks.add(Check.ok("prometheus", "Prometheus at " + url + " answers"));
        policies.forEach(policy -> checks.add(signal(cycle, policy)));
        return List.copyOf(checks);
    }

    /** What one PromQL signal reads now; no data under a runbook metric name is retried with the deployed one. */
    private static Check signal(MetricSource.Cycle cycle, Policy policy) {
        String query = ((PromQlQuery) policy.query()).query();
        Observation o = cycle.read(policy.query(), policy.reduce());
        Optional<String> fix = Optional.empty();
        if (o instanceof Observation.NoData && query.contains(NeuralHiveDefaults.RUNBOOK_METRIC_PREFIX)) {
            String real = query.replace(NeuralHiveDefaults.RUNBOOK_METRIC_PREFIX, NeuralHiveDefaults.METRIC_PREFIX);
            Observation corrected = cycle.read(new PromQlQuery(real), policy.reduce());
            fix = Optional.of("the runbook's " + NeuralHiveDefaults.RUNBOOK_METRIC_PREFIX + "* names are emitted by no"
                    + " code; the deployed app emits " + NeuralHiveDefaults.METRIC_PREFIX + "*"
                    + (corrected instanceof Observation.Value ? ", and this query has data: " + real
                            : ": query " + real));
        }
        return SourceChecks.judge(policy, o, fix);
    }

    @Override
    public MetricSource source(Settings settings, ObjectMapper mapper) {
        return PrometheusSource.from(settings.of(PrometheusSettings.class), mapper);
    }

    /**
     * The Prometheus at {@code url}, with the credentials, TLS, timeout and concurrency of {@code settings}: what
     * {@code replay --prometheus URL} reads its range queries from.
     */
    public static SignalRange at(URI url, PrometheusSettings settings, ObjectMapper mapper) {
        return new PrometheusSource(new PrometheusClient(url, settings, mapper), settings.maxConcurrency(),
                settings.backfillStep());
    }

    @Override
    public MetricSource scripted(ScriptedSignals script) {
        return new ScriptedPrometheus(script);
    }
}
