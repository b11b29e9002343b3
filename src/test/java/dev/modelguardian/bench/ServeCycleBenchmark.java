package dev.modelguardian.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.Acting;
import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.EventsListener;
import dev.modelguardian.integrations.metrics.GuardianMetrics;
import dev.modelguardian.integrations.prometheus.PromQlQuery;
import dev.modelguardian.integrations.prometheus.PrometheusClient;
import dev.modelguardian.integrations.prometheus.PrometheusSettings;
import dev.modelguardian.integrations.prometheus.PrometheusSource;
import dev.modelguardian.integrations.scrape.ScrapedSample;
import dev.modelguardian.integrations.scrape.TextFormatParser;
import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;

/**
 * A benchmark, not a test: how long one {@code serve} cycle takes for 1, 10, 100 and 500 policies against a real
 * Prometheus, and how long a firing policy takes to become a training Job inside a cycle. It asserts no timing; it
 * only checks that what it timed is what it claims (every policy healthy in the steady state, exactly one Job after a
 * firing cycle), and writes its raw numbers and a Markdown summary to {@code bench/out/} ({@code -Dbench.out}).
 *
 * <p>It runs only with {@code -Dbench=true} ({@link EnabledIfSystemProperty}), and its name does not match
 * Surefire's test patterns, so {@code ./mvnw verify} never runs it; {@code bench/serve-cycle.sh} does. This is the one
 * kind of skip the project accepts: a benchmark is slow and its output is numbers, not a verdict.
 *
 * <p>The setup is {@code serve}'s wiring without the scheduler: the application's {@link PolicyEngine} (the
 * {@link PrometheusSource} on {@code guardian.prometheus.*}, max-concurrency 4 by default), the state ConfigMap
 * ({@link ConfigMapStateStore}), the training Jobs ({@link TrainingJobs}), the production listeners (metrics and
 * Events), the remediation guards from configuration; each timed cycle is what {@code ServeLoop.cycle()} does:
 * {@code runCycle()}, then the metric gauges. The Kubernetes side is the fabric8 mock server in CRUD mode in this
 * JVM; Prometheus is Debian's binary on loopback ({@link PrometheusServer}), scraping one {@link MetricsEndpoint}
 * every second that exposes {@code bench_signal{model,signal}} for every policy of the largest size (so the TSDB is
 * the same for every size) and {@code bench_breach}.
 *
 * <p>Policy layout: policy {@code i} is signal {@code s(i % 5)} of model {@code m(i / 5)}, five signals per model as
 * Neural Hive's duration predictor has, each an instant query {@code max(bench_signal{model="m000",signal="s0"})}
 * with bound {@code > 0.5} and no {@code for} (after the first cycle a {@code for} changes nothing). The queries differ
 * only by label values, so the cycle asks them as one query a signal and chunk ({@code PromQlBatches}); with
 * {@code -Dbench.shapes=distinct} each selects its model by a regex matcher ({@code model=~"m000"}) and is one
 * request. The state store is followed as {@code serve} follows it (the targets' records from its informer).
 * Targets: one per model (the main table), or one for all models (the second table). With
 * {@code -Dbench.history=50} each target's record holds 50 finished remediations before the steady-state cycles; with
 * {@code -Dbench.backfill-minutes=60} the steady-state policies have a {@code for} of an hour and each of their cycles
 * starts without policy statuses, so every policy is backfilled (a first cycle).
 *
 * <p>Firing to Job: an engine whose last policy reads {@code max(bench_breach)} (1.72). A priming engine with the same
 * policies but a bound of {@code > 1000} on that one runs a cycle first, so the state holds every policy HEALTHY as in
 * a real steady state; then the engine with the real bound ({@code > 1.5}) runs the timed cycle, in which that policy
 * goes HEALTHY to FIRING and its target (the last one, so every other target is advanced before it) goes FIRING,
 * RETRAINING, Job created. Timestamps: the cycle's start, the end of the evaluation (when the state store is asked to
 * save the policy statuses: the firing is known), the return of the Job's create call (the API server has stored it),
 * and the ADDED event of a watch on Jobs. Between runs the Jobs, the state ConfigMap and the Events are deleted.
 *
 * <p>Before any measurement, the largest size runs {@code bench.jvm-warmup} cycles (and a few firing runs) that are
 * thrown away, so that the first sizes measured do not pay for class loading and the JIT; each measurement then has
 * its own {@code bench.warmup} cycles before its {@code bench.runs} timed ones.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ServeCycleBenchmark.BenchPrometheus.class, restrictToAnnotatedClass = true)
@TestProfile(ServeCycleBenchmark.Profile.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ServeCycleBenchmark {

    static final String NAMESPACE = "model-guardian-bench";
    static final int SIGNALS_PER_MODEL = 5;
    static final double HEALTHY_VALUE = 0.1;
    static final double BREACH_VALUE = 1.72;
    static final List<Integer> SIZES = intList(System.getProperty("bench.sizes", "1,10,100,500"));
    static final List<Integer> CONCURRENCY = intList(System.getProperty("bench.concurrency", "1,4,16"));
    static final int RUNS = Integer.getInteger("bench.runs", 15);
    /**
     * {@code shared} (the default): the queries differ only by label values, as signals written from one template do,
     * and are batched; {@code distinct}: each selects its model by a regex matcher, which the planner leaves alone, so
     * every query is its own request.
     */
    static final boolean SHARED_SHAPES = switch (System.getProperty("bench.shapes", "shared")) {
        case "shared" -> true;
        case "distinct" -> false;
        default -> throw new IllegalArgumentException("bench.shapes must be shared or distinct, not '"
                + System.getProperty("bench.shapes") + "'");
    };
    /**
     * Finished remediations in each target's record before the steady-state cycles (0 by default): each a promotion
     * with its trigger, verdict, actions and timeline (about 1.2 KiB as stored), as a target remediated that often
     * holds them; {@code guardian.state.history} keeps at most 50 by default.
     */
    static final int HISTORY = Integer.getInteger("bench.history", 0);
    /**
     * The {@code for} of the steady-state policies, in minutes (0 by default): with one, every steady-state cycle
     * starts with no policy status, as a first install, new models or a lost state does, so each
     * policy is backfilled from a range query over its {@code for} instead of read at the instant.
     */
    static final Duration BACKFILL = Duration.ofMinutes(Integer.getInteger("bench.backfill-minutes", 0));
    /**
     * Whether the state store is followed as {@code serve} follows it (the default): {@code -Dbench.follow=false}
     * lists the state every cycle, as one-shot commands and a Role without {@code watch} do.
     */
    static final boolean FOLLOW = Boolean.parseBoolean(System.getProperty("bench.follow", "true"));
    /** One finished remediation as the state stores it; {@code %1$d} is its number. */
    private static final String HISTORY_ENTRY =
            "{\"id\":\"r%1$d\",\"job\":\"ml-retrain-emergency-%1$d\",\"started\":\"2026-11-23T03:00:00Z\","
            + "\"ended\":\"2026-11-23T03:21:40Z\",\"outcome\":\"PROMOTED\","
            + "\"reason\":\"promoted ticket-duration-predictor v8 and verified for 5m: every signal cleared\","
            + "\"trigger\":[{\"model\":\"ticket-duration-predictor\",\"signal\":\"mae-ratio\",\"value\":1.72,"
            + "\"bound\":\"> 1.5 (clear <= 1.3)\"}],\"verdict\":{\"at\":\"2026-11-23T03:15:00Z\",\"passed\":true,"
            + "\"models\":[{\"model\":\"ticket-duration-predictor\",\"candidate\":\"8\","
            + "\"source\":\"registered since the snapshot\",\"passed\":true,"
            + "\"checks\":[{\"metric\":\"mae_percentage\",\"rule\":\"< 15\",\"value\":12.1,\"baseline\":13.0,"
            + "\"passed\":true,\"detail\":\"mae_percentage 12.1 < 15\"}],\"problem\":null}]},"
            + "\"actions\":[\"promoted ticket-duration-predictor v8 (was v7)\","
            + "\"restarted Deployment orchestrator-dynamic\"],\"timeline\":{\"marks\":[{\"state\":\"FIRING\","
            + "\"at\":\"2026-11-23T03:00:00Z\"},{\"state\":\"RETRAINING\",\"at\":\"2026-11-23T03:00:01Z\"},"
            + "{\"state\":\"VALIDATING\",\"at\":\"2026-11-23T03:14:50Z\"},{\"state\":\"PROMOTING\","
            + "\"at\":\"2026-11-23T03:15:00Z\"},{\"state\":\"VERIFYING\",\"at\":\"2026-11-23T03:16:40Z\"},"
            + "{\"state\":\"HEALTHY\",\"at\":\"2026-11-23T03:21:40Z\"}],"
            + "\"approval\":{\"by\":\"auto (no approval required)\",\"at\":\"2026-11-23T03:00:00Z\"}},"
            + "\"requestedBy\":null,\"trainingLog\":null}";
    static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    /** Cycles of the largest size run once before any measurement, so that the first sizes do not pay for the JIT. */
    static final int JVM_WARMUP = Integer.getInteger("bench.jvm-warmup", 30);
    static final Path OUT = Path.of(System.getProperty("bench.out", "bench/out"));

    /**
     * The namespace (the benchmark builds its policies and targets itself), and the mock API server's per-request
     * INFO line silenced: it logs from this JVM, which a real API server would not.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("guardian.namespace", NAMESPACE,
                    "quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN");
        }
    }

    /** A real Prometheus scraping every benchmark series, as the application's Prometheus source. */
    public static class BenchPrometheus implements QuarkusTestResourceLifecycleManager {

        private PrometheusServer server;

        @Override
        public Map<String, String> start() {
            MetricsEndpoint endpoint = new MetricsEndpoint();
            endpoint.set(metricsBody(largestSize()));
            server = new PrometheusServer(endpoint);
            return Map.of("guardian.prometheus.url", server.url());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Where the benchmark's rows and tables go. */
    static final List<String> RAW = new ArrayList<>();
    static final StringBuilder SUMMARY = new StringBuilder();

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer apiServer;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    GuardianConfig config;

    @Inject
    PrometheusSettings prometheusSettings;

    @Inject
    ObjectMapper mapper;

    @Inject
    ConfigMapStateStore stateStore;

    @Inject
    TrainingTrigger trainingJobs;

    @Inject
    GuardianMetrics metrics;

    @Inject
    EventsListener events;

    @Inject
    Acting acting;

    @Inject
    Clock clock;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void header() {
        RAW.clear();
        RAW.add("experiment\tpolicies\tmodels\ttargets\tmax_concurrency\trun\tmetric\tvalue");
        SUMMARY.setLength(0);
    }

    @AfterAll
    static void write() throws IOException {
        Files.createDirectories(OUT);
        Files.write(OUT.resolve("serve-cycle.tsv"), RAW);
        Files.writeString(OUT.resolve("serve-cycle.md"), SUMMARY);
    }

    // --- the experiments -------------------------------------------------------------------------------------------

    @Test
    void serveCycle() {
        awaitPrometheus();
        if (!FOLLOW) {
            measure();
            return;
        }
        // As serve does: the targets' records come from the state informer, the policy statuses from the API.
        try (StateStore.Following following = stateStore.follow()) {
            await("the state informer synced: a load reads only the state ConfigMap").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        int before = apiRequests();
                        stateStore.load();
                        return apiRequests() - before == 1;
                    });
            measure();
        }
    }

    private void measure() {
        int largest = largestSize();
        int maxConcurrency = prometheusSettings.maxConcurrency();
        // The JVM's warm-up, discarded: every code path of the measurements, at the largest size.
        steadyState("jvm-warm-up", largest, true, policyEngine, maxConcurrency, 0, JVM_WARMUP);
        steadyState("jvm-warm-up", largest, false, policyEngine, maxConcurrency, 0, JVM_WARMUP / 3);
        firingToJob(largest, 0, Math.max(5, JVM_WARMUP / 3));

        List<Row> perModel = new ArrayList<>();
        List<Row> oneTarget = new ArrayList<>();
        for (int n : SIZES) {
            perModel.add(steadyState("per-model-targets", n, true, policyEngine, maxConcurrency, WARMUP, RUNS));
        }
        for (int n : SIZES) {
            oneTarget.add(steadyState("one-target", n, false, policyEngine, maxConcurrency, WARMUP, RUNS));
        }
        List<Row> concurrency = new ArrayList<>();
        for (int c : CONCURRENCY) {
            MetricSources sources = MetricSources.of(new PrometheusSource(new PrometheusClient(prometheusSettings,
                    mapper), c, prometheusSettings.backfillStep()));
            concurrency.add(steadyState("max-concurrency", largest, true, new PolicyEngine(sources, clock), c, WARMUP,
                    RUNS));
        }
        List<LatencyRow> latency = new ArrayList<>();
        for (int n : SIZES) {
            latency.add(firingToJob(n, WARMUP, RUNS));
        }
        perModel.forEach(Row::record);
        oneTarget.forEach(Row::record);
        concurrency.forEach(Row::record);
        latency.forEach(LatencyRow::record);
        summarize(perModel, oneTarget, concurrency, latency);
    }

    /** {@code runs} timed steady-state cycles over {@code n} healthy policies, after {@code warmup} cycles. */
    private Row steadyState(String experiment, int n, boolean targetPerModel, PolicyEngine engineOfPolicies,
            int maxConcurrency, int warmup, int runs) {
        List<Policy> policies = policies(n, Optional.empty(), BACKFILL);
        List<TargetSpec> targets = targets(n, targetPerModel);
        resetCluster(targets);
        seedHistory(targets);
        PhaseStore store = new PhaseStore(stateStore);
        RemediationEngine engine = engine(engineOfPolicies, policies, targets, store, trainingJobs);
        for (int i = 0; i < warmup; i++) {
            forgetPolicyStatuses();
            serveCycle(engine);
        }
        forgetRecordedRequests();
        Samples cycle = new Samples();
        Samples queries = new Samples();
        Samples save = new Samples();
        Samples advance = new Samples();
        Samples gauges = new Samples();
        PrometheusStats before = prometheusStats();
        long cpuBefore = jvmCpuNanos();
        int requestsBefore = apiRequests();
        long gcBefore = gcMillis();
        for (int run = 0; run < runs; run++) {
            forgetPolicyStatuses();
            long start = System.nanoTime();
            RemediationEngine.CycleReport report = engine.runCycle();
            long cycleEnd = System.nanoTime();
            metrics.evaluations(report.evaluations());
            metrics.cycle(report.took());
            long end = System.nanoTime();
            assertThat(report.evaluations()).as("every policy evaluated healthy from Prometheus").hasSize(n)
                    .allSatisfy(e -> assertThat(e.status().state()).isEqualTo(PolicyState.HEALTHY));
            assertThat(report.targets()).allSatisfy(t -> assertThat(t.problem()).isEmpty());
            cycle.add(end - start);
            queries.add(store.saveEntered - start);
            save.add(store.saveReturned - store.saveEntered);
            advance.add(cycleEnd - store.saveReturned);
            gauges.add(end - cycleEnd);
        }
        long cpu = jvmCpuNanos() - cpuBefore;
        int requests = apiRequests() - requestsBefore;
        long gc = gcMillis() - gcBefore;
        PrometheusStats after = prometheusStats();
        return new Row(experiment, n, models(n), targets.size(), maxConcurrency, cycle, queries, save, advance,
                gauges, after.minus(before), cpu / (double) runs / 1e6, requests / (double) runs, stateBytes(), gc,
                heapAfterGc());
    }

    /** {@code runs} firing cycles over {@code n} policies, the last one breaching, after {@code warmup} runs. */
    private LatencyRow firingToJob(int n, int warmup, int runs) {
        List<TargetSpec> targets = targets(n, true);
        resetCluster(targets);
        seedHistory(targets);
        PhaseStore store = new PhaseStore(stateStore);
        CreateTimes cluster = new CreateTimes(trainingJobs);
        RemediationEngine priming = engine(policyEngine, policies(n, Optional.of(1000.0)), targets, stateStore,
                trainingJobs);
        RemediationEngine firing = engine(policyEngine, policies(n, Optional.of(1.5)), targets, store, cluster);
        TargetSpec breaching = targets.getLast();
        Map<String, Long> added = new ConcurrentHashMap<>();
        Samples toCreated = new Samples();
        Samples firingToCreated = new Samples();
        Samples toWatched = new Samples();
        Samples wholeCycle = new Samples();
        List<Integer> apiRequests = new ArrayList<>();
        try (Watch watch = client.batch().v1().jobs().inNamespace(NAMESPACE).watch(new Watcher<Job>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    added.putIfAbsent(job.getMetadata().getName(), System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed by the benchmark
            }
        })) {
            for (int run = 0; run < warmup + runs; run++) {
                clearState();
                added.clear();
                RemediationEngine.CycleReport primed = priming.runCycle();
                assertThat(primed.evaluations()).allSatisfy(e -> assertThat(e.status().state())
                        .isEqualTo(PolicyState.HEALTHY));
                assertThat(jobs()).isEmpty();

                int requestsBefore = apiRequests();
                long start = System.nanoTime();
                RemediationEngine.CycleReport report = firing.runCycle();
                metrics.evaluations(report.evaluations());
                metrics.cycle(report.took());
                long end = System.nanoTime();
                int requests = apiRequests() - requestsBefore;

                TargetRecord record = report.targets().getLast().record();
                assertThat(report.targets().getLast().target()).isEqualTo(breaching);
                assertThat(record.current().state()).isEqualTo(RemediationState.RETRAINING);
                assertThat(record.current().jobCreated()).isTrue();
                String job = record.current().jobName().orElseThrow();
                assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactly(job);
                await("watch event for Job " + job).atMost(Duration.ofSeconds(10)).until(() -> added.containsKey(job));
                if (run >= warmup) {
                    toCreated.add(cluster.created - start);
                    firingToCreated.add(cluster.created - store.saveEntered);
                    toWatched.add(added.get(job) - start);
                    wholeCycle.add(end - start);
                    apiRequests.add(requests);
                }
            }
        }
        return new LatencyRow(n, models(n), targets.size(), toCreated, firingToCreated, toWatched, wholeCycle,
                apiRequests);
    }

    /** One cycle as {@code ServeLoop.cycle()} runs it. */
    private void serveCycle(RemediationEngine engine) {
        RemediationEngine.CycleReport report = engine.runCycle();
        metrics.evaluations(report.evaluations());
        metrics.cycle(report.took());
    }

    // --- the configuration under test ------------------------------------------------------------------------------

    static int models(int n) {
        return (n + SIGNALS_PER_MODEL - 1) / SIGNALS_PER_MODEL;
    }

    static String model(int policy) {
        return "m%03d".formatted(policy / SIGNALS_PER_MODEL);
    }

    static String signal(int policy) {
        return "s" + policy % SIGNALS_PER_MODEL;
    }

    /**
     * {@code n} policies, each above 0.5 on its own series; with {@code breachBound}, the last one reads
     * {@code bench_breach} above that bound instead.
     */
    static List<Policy> policies(int n, Optional<Double> breachBound) {
        return policies(n, breachBound, Duration.ZERO);
    }

    /** {@code n} policies as {@link #policies(int, Optional)}, each with a {@code for} of {@code forDuration}. */
    static List<Policy> policies(int n, Optional<Double> breachBound, Duration forDuration) {
        return IntStream.range(0, n).mapToObj(i -> {
            boolean breach = breachBound.isPresent() && i == n - 1;
            String query = breach ? "max(bench_breach)"
                    : (SHARED_SHAPES ? "max(bench_signal{model=\"%s\",signal=\"%s\"})"
                            : "max(bench_signal{model=~\"%s\",signal=\"%s\"})").formatted(model(i), signal(i));
            return new Policy(model(i), signal(i), new PromQlQuery(query),
                    Bound.above(breach ? breachBound.get() : 0.5), forDuration, Reduce.MAX,
                    NoDataPolicy.INCONCLUSIVE, "");
        }).toList();
    }

    /** One target per model, or one target training every model; each with its own CronJob. */
    static List<TargetSpec> targets(int n, boolean perModel) {
        List<String> models = IntStream.range(0, models(n)).mapToObj(m -> model(m * SIGNALS_PER_MODEL)).toList();
        if (!perModel) {
            return List.of(new TargetSpec("bench-all", "bench-training-all", models));
        }
        return models.stream().map(m -> new TargetSpec("bench-" + m, "bench-training-" + m, List.of(m))).toList();
    }

    /** The /metrics body: every policy's series healthy, and the breaching series. */
    static String metricsBody(int policies) {
        StringBuilder body = new StringBuilder("# TYPE bench_signal gauge\n");
        for (int i = 0; i < policies; i++) {
            body.append("bench_signal{model=\"%s\",signal=\"%s\"} %s\n".formatted(model(i), signal(i), HEALTHY_VALUE));
        }
        return body.append("# TYPE bench_breach gauge\nbench_breach ").append(BREACH_VALUE).append('\n').toString();
    }

    private RemediationEngine engine(PolicyEngine engineOfPolicies, List<Policy> policies, List<TargetSpec> targets,
            StateStore store, TrainingTrigger cluster) {
        List<RemediationListener> listeners = List.of(metrics, events);
        RemediationListener production = new RemediationListener() {
            @Override
            public void stepped(Step step) {
                listeners.forEach(l -> l.stepped(step));
            }

            @Override
            public void stayed(TargetSpec target, TargetRecord record, Decision.Stay stay) {
                listeners.forEach(l -> l.stayed(target, record, stay));
            }

            @Override
            public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
                listeners.forEach(l -> l.actionFailed(target, record, action, message));
            }
        };
        return new RemediationEngine(engineOfPolicies, policies, targets, store, cluster,
                KubeBeans.remediationPolicy(config), config.state().history(), clock, production, acting);
    }

    private void resetCluster(List<TargetSpec> targets) {
        clearState();
        client.batch().v1().cronjobs().inNamespace(NAMESPACE).delete();
        for (TargetSpec target : targets) {
            client.batch().v1().cronjobs().inNamespace(NAMESPACE).resource(new CronJobBuilder(
                    NeuralHive.trainingCronJob()).editMetadata().withName(target.trainer().name()).withNamespace(NAMESPACE)
                    .endMetadata().build()).create();
        }
    }

    /**
     * Writes each target's record with {@link #HISTORY} finished remediations: a first record through the store, then
     * its JSON with the history added, as the API server would hold it after that many remediations.
     */
    private void seedHistory(List<TargetSpec> targets) {
        if (HISTORY == 0) {
            return;
        }
        for (TargetSpec target : targets) {
            stateStore.compareAndSet(target.name(), 0, TargetRecord.initial(clock.instant()));
            String name = ConfigMapStateStore.shardName(config.state().configMap(), target.name());
            client.configMaps().inNamespace(NAMESPACE).withName(name).edit(configMap -> {
                Map<String, String> data = new java.util.TreeMap<>();
                configMap.getData().forEach((key, json) -> data.put(key, withHistory(json)));
                configMap.setData(data);
                return configMap;
            });
        }
        assertThat(stateStore.target(targets.getLast().name(), clock.instant()).history())
                .as("the seeded history as the store reads it").hasSize(HISTORY);
    }

    private String withHistory(String recordJson) {
        try {
            var record = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(recordJson);
            var history = record.putArray("history");
            for (int i = 0; i < HISTORY; i++) {
                history.add(mapper.readTree(HISTORY_ENTRY.formatted(1_795_000_000 + i)));
            }
            return mapper.writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With {@link #BACKFILL}, the policy statuses deleted, so that the next cycle backfills every policy. */
    private void forgetPolicyStatuses() {
        if (!BACKFILL.isZero()) {
            client.configMaps().inNamespace(NAMESPACE).withName(config.state().configMap()).delete();
        }
    }

    private void clearState() {
        client.batch().v1().jobs().inNamespace(NAMESPACE).delete();
        client.configMaps().inNamespace(NAMESPACE).delete();
        client.events().v1().events().inNamespace(NAMESPACE).delete();
        forgetRecordedRequests();
    }

    /**
     * The mock server keeps every request it received, bodies included, until taken: dropped between measurements so
     * that its memory (in this JVM) does not grow through the benchmark. Its request counter is kept.
     */
    private void forgetRecordedRequests() {
        try {
            while (apiServer.getKubernetesMockServer().takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                // dropped
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The heap this JVM holds after a full collection, in bytes: the guardian's state as it keeps it between cycles
     * (with the mock API server's copy of every object, and the benchmark's own, in the same JVM).
     */
    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Requests the mock API server has received so far (every request of this JVM's Kubernetes client). */
    private int apiRequests() {
        return apiServer.getKubernetesMockServer().getRequestCount();
    }

    /**
     * Size of the state's ConfigMaps (the state ConfigMap and each target's), keys and values: text in bytes of UTF-8,
     * binary values decoded.
     */
    private long stateBytes() {
        long bytes = 0;
        for (var configMap : client.configMaps().inNamespace(NAMESPACE).withLabel(ConfigMapStateStore.STATE_LABEL,
                ConfigMapStateStore.labelValue(config.state().configMap())).list().getItems()) {
            if (configMap.getData() != null) {
                bytes += configMap.getData().entrySet().stream().mapToLong(e -> e.getKey().getBytes(
                        StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
            }
            if (configMap.getBinaryData() != null) {
                bytes += configMap.getBinaryData().entrySet().stream().mapToLong(e -> e.getKey().getBytes(
                        StandardCharsets.UTF_8).length + e.getValue().length() / 4 * 3).sum();
            }
        }
        return bytes;
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }

    // --- Prometheus and the JVM, around the timed runs -------------------------------------------------------------

    private void awaitPrometheus() {
        PrometheusClient prometheus = new PrometheusClient(prometheusSettings, mapper);
        int series = largestSize();
        await("Prometheus holds all " + series + " benchmark series").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(SourceException.class)
                .until(() -> {
                    double[] count = prometheus.query("count(bench_signal) + count(bench_breach)", Instant.now());
                    return count.length == 1 && count[0] >= series + 1;
                });
    }

    /** What Prometheus says about itself: time spent in /api/v1/query and its CPU. */
    record PrometheusStats(double querySeconds, double queries, double cpuSeconds) {
        PrometheusStats minus(PrometheusStats before) {
            return new PrometheusStats(querySeconds - before.querySeconds, queries - before.queries,
                    cpuSeconds - before.cpuSeconds);
        }
    }

    private PrometheusStats prometheusStats() {
        String url = prometheusSettings.url().orElseThrow() + "/metrics";
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<ScrapedSample> samples = TextFormatParser.parse(body).samples();
            return new PrometheusStats(sample(samples, "prometheus_http_request_duration_seconds_sum"),
                    sample(samples, "prometheus_http_request_duration_seconds_count"),
                    samples.stream().filter(s -> s.name().equals("process_cpu_seconds_total"))
                            .mapToDouble(ScrapedSample::value).sum());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double sample(List<ScrapedSample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> "/api/v1/query".equals(s.labels().get("handler")))
                .mapToDouble(ScrapedSample::value).sum();
    }

    /** Time this JVM's collectors report having spent collecting, summed (pauses and concurrent work). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    /** CPU time of this JVM: the guardian's code, and also the mock API server and the test's HTTP clients. */
    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    // --- timing probes ---------------------------------------------------------------------------------------------

    /**
     * The state store, with the time the policy statuses are handed over (every policy evaluated) and written
     * (policies.json replaced), so that a cycle splits into its phases.
     */
    static final class PhaseStore implements StateStore {
        private final StateStore delegate;
        volatile long saveEntered;
        volatile long saveReturned;

        PhaseStore(StateStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public GuardianState load() {
            return delegate.load();
        }

        @Override
        public TargetRecord target(String target, java.time.Instant now) {
            return delegate.target(target, now);
        }

        @Override
        public boolean compareAndSet(String target, long expectedRevision, TargetRecord next) {
            return delegate.compareAndSet(target, expectedRevision, next);
        }

        @Override
        public void savePolicies(Map<String, PolicyStatus> statuses) {
            saveEntered = System.nanoTime();
            delegate.savePolicies(statuses);
            saveReturned = System.nanoTime();
        }
    }

    /** The training cluster, with the time the API server answered the Job's create. */
    static final class CreateTimes implements TrainingTrigger {
        private final TrainingTrigger delegate;
        volatile long created;

        CreateTimes(TrainingTrigger delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<String> running(TargetSpec target, Optional<String> excluding) {
            return delegate.running(target, excluding);
        }

        @Override
        public JobObservation observe(TargetSpec target, String jobName) {
            return delegate.observe(target, jobName);
        }

        @Override
        public void start(TargetSpec target, String runName, String remediationId, String why) {
            delegate.start(target, runName, remediationId, why);
            created = System.nanoTime();
        }

        @Override
        public dev.modelguardian.core.remediation.LogTail logTail(TargetSpec target, String runName,
                dev.modelguardian.core.remediation.LogTail.Limits limits) {
            return delegate.logTail(target, runName, limits);
        }

        @Override
        public Watch followLog(TargetSpec target, String runName, LogSink sink) {
            return delegate.followLog(target, runName, sink);
        }
    }

    // --- statistics and output -------------------------------------------------------------------------------------

    /** Durations of R runs, in nanoseconds. */
    static final class Samples {
        private final List<Long> nanos = new ArrayList<>();

        void add(long value) {
            nanos.add(value);
        }

        long[] sorted() {
            return nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        double median() {
            long[] s = sorted();
            return (s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0) / 1e6;
        }

        /** Nearest rank (with 15 runs, the 14th smallest). */
        double p90() {
            long[] s = sorted();
            return s[(int) Math.ceil(0.9 * s.length) - 1] / 1e6;
        }

        double min() {
            return sorted()[0] / 1e6;
        }

        double max() {
            long[] s = sorted();
            return s[s.length - 1] / 1e6;
        }

        List<Long> values() {
            return nanos;
        }
    }

    record Row(String experiment, int policies, int models, int targets, int maxConcurrency, Samples cycle,
            Samples queries, Samples save, Samples advance, Samples gauges, PrometheusStats prometheus,
            double jvmCpuMillisPerCycle, double apiRequestsPerCycle, long stateBytes, long gcMillis,
            long heapAfterGc) {

        void record() {
            raw(experiment, policies, models, targets, maxConcurrency, Map.of("cycle_ms", cycle,
                    "read_state_and_queries_ms", queries, "save_policies_ms", save, "advance_targets_ms", advance,
                    "gauges_ms", gauges));
            total("prometheus_query_ms_per_cycle", fmt(prometheus.querySeconds() / runs() * 1000));
            total("prometheus_queries_per_cycle", fmt(prometheus.queries() / runs()));
            total("prometheus_cpu_ms_per_cycle", fmt(prometheusCpuMillisPerCycle()));
            total("jvm_cpu_ms_per_cycle", fmt(jvmCpuMillisPerCycle));
            total("api_requests_per_cycle", fmt(apiRequestsPerCycle));
            total("state_configmap_bytes", "" + stateBytes);
            total("jvm_gc_ms_all_runs", "" + gcMillis);
            total("heap_after_gc_bytes", "" + heapAfterGc);
        }

        private void total(String metric, String value) {
            RAW.add(String.join("\t", experiment, "" + policies, "" + models, "" + targets, "" + maxConcurrency,
                    "all", metric, value));
        }

        /** Mean time Prometheus spent per instant query, by its own histogram, in ms. */
        double prometheusMillisPerQuery() {
            return prometheus.queries() == 0 ? Double.NaN : prometheus.querySeconds() / prometheus.queries() * 1000;
        }

        double prometheusCpuMillisPerCycle() {
            return prometheus.cpuSeconds() / runs() * 1000;
        }

        int runs() {
            return cycle.values().size();
        }

        /** Time spent advancing the targets, per target (median). */
        double advanceMillisPerTarget() {
            return advance.median() / targets;
        }
    }

    record LatencyRow(int policies, int models, int targets, Samples toCreated, Samples firingToCreated,
            Samples toWatched, Samples cycle, List<Integer> apiRequests) {

        void record() {
            raw("firing-to-job", policies, models, targets, 0, Map.of("cycle_start_to_job_created_ms", toCreated,
                    "firing_known_to_job_created_ms", firingToCreated, "cycle_start_to_job_watched_ms", toWatched,
                    "firing_cycle_ms", cycle));
            for (int run = 0; run < apiRequests.size(); run++) {
                RAW.add(String.join("\t", "firing-to-job", "" + policies, "" + models, "" + targets, "0",
                        "" + (run + 1), "api_requests", "" + apiRequests.get(run)));
            }
        }

        /** API requests of the firing cycle (the same in every run unless a write conflicted). */
        int medianApiRequests() {
            return apiRequests.stream().sorted().toList().get(apiRequests.size() / 2);
        }
    }

    static void raw(String experiment, int policies, int models, int targets, int maxConcurrency,
            Map<String, Samples> metrics) {
        metrics.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<Long> values = e.getValue().values();
            for (int run = 0; run < values.size(); run++) {
                RAW.add(String.join("\t", experiment, "" + policies, "" + models, "" + targets, "" + maxConcurrency,
                        "" + (run + 1), e.getKey(), fmt(values.get(run) / 1e6)));
            }
        });
    }

    static String fmt(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis)
                : millis >= 10 ? String.format(Locale.ROOT, "%.1f", millis)
                        : String.format(Locale.ROOT, "%.2f", millis);
    }

    static String ms(double millis) {
        return fmt(millis) + " ms";
    }

    static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    static String ratio(double value, double base) {
        return String.format(Locale.ROOT, "%.1fx", value / base);
    }

    private void summarize(List<Row> perModel, List<Row> oneTarget, List<Row> concurrency, List<LatencyRow> latency) {
        StringBuilder md = SUMMARY;
        md.append("#### One `serve` cycle, steady state (every policy healthy), one target per model\n\n");
        md.append(("%d timed cycles per size after %d warm-up cycles (and, once before everything, %d cycles of the"
                + " largest size for the JIT); max-concurrency %d; 5 signals per model.\n\n")
                .formatted(RUNS, WARMUP, JVM_WARMUP, prometheusSettings.maxConcurrency()));
        md.append("| policies | models | targets | cycle median | p90 | min | max | median / policy | vs N=1 |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        double base = perModel.getFirst().cycle().median();
        for (Row r : perModel) {
            md.append("| %d | %d | %d | %s | %s | %s | %s | %s | %s |\n".formatted(r.policies(), r.models(),
                    r.targets(), ms(r.cycle().median()), ms(r.cycle().p90()), ms(r.cycle().min()),
                    ms(r.cycle().max()), ms(r.cycle().median() / r.policies()), ratio(r.cycle().median(), base)));
        }
        md.append("\nWhere the time goes (the median of each phase, so the phases need not add up to the cycle"
                + " median), and what Prometheus and this JVM spent per cycle:\n\n");
        md.append("| policies | targets | state read + N queries | write policies.json | advance targets | per target"
                + " | metric gauges | API requests / cycle | state ConfigMap | Prometheus time / query"
                + " | Prometheus CPU / cycle | JVM CPU / cycle | heap after GC |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : perModel) {
            md.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n".formatted(r.policies(),
                    r.targets(), ms(r.queries().median()), ms(r.save().median()), ms(r.advance().median()),
                    ms(r.advanceMillisPerTarget()), ms(r.gauges().median()),
                    String.format(Locale.ROOT, "%.0f", r.apiRequestsPerCycle()), kib(r.stateBytes()),
                    ms(r.prometheusMillisPerQuery()), ms(r.prometheusCpuMillisPerCycle()),
                    ms(r.jvmCpuMillisPerCycle()),
                    String.format(Locale.ROOT, "%.1f MiB", r.heapAfterGc() / 1048576.0)));
        }
        md.append("\n#### The same policies, all models in one target\n\n");
        md.append("| policies | cycle median | p90 | min | max | state read + N queries | write policies.json"
                + " | advance the target | vs N=1 |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        double oneBase = oneTarget.getFirst().cycle().median();
        for (Row r : oneTarget) {
            md.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n".formatted(r.policies(),
                    ms(r.cycle().median()), ms(r.cycle().p90()), ms(r.cycle().min()), ms(r.cycle().max()),
                    ms(r.queries().median()), ms(r.save().median()), ms(r.advance().median()),
                    ratio(r.cycle().median(), oneBase)));
        }
        md.append("\n#### %d policies (one target per model) by `guardian.prometheus.max-concurrency`\n\n"
                .formatted(largestSize()));
        md.append("| max-concurrency | cycle median | p90 | min | max | state read + N queries | Prometheus time /"
                + " query | Prometheus CPU / cycle |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : concurrency) {
            md.append("| %d | %s | %s | %s | %s | %s | %s | %s |\n".formatted(r.maxConcurrency(),
                    ms(r.cycle().median()), ms(r.cycle().p90()), ms(r.cycle().min()), ms(r.cycle().max()),
                    ms(r.queries().median()), ms(r.prometheusMillisPerQuery()), ms(r.prometheusCpuMillisPerCycle())));
        }
        md.append("\n#### Firing policy to training Job, inside one cycle (one target per model)\n\n");
        md.append("%d runs per size after %d warm-up runs; the breaching policy is in the last target.\n\n"
                .formatted(RUNS, WARMUP));
        md.append("| policies | targets | cycle start -> Job created (median) | p90 | firing known -> Job created"
                + " (median) | p90 | cycle start -> Job seen by a watch (median) | firing cycle (median)"
                + " | API requests in the cycle |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (LatencyRow r : latency) {
            md.append("| %d | %d | %s | %s | %s | %s | %s | %s | %d |\n".formatted(r.policies(), r.targets(),
                    ms(r.toCreated().median()), ms(r.toCreated().p90()), ms(r.firingToCreated().median()),
                    ms(r.firingToCreated().p90()), ms(r.toWatched().median()), ms(r.cycle().median()),
                    r.medianApiRequests()));
        }
    }

    static int largestSize() {
        return SIZES.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private static List<Integer> intList(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                .toList();
    }
}
