package dev.modelguardian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import dev.modelguardian.app.page.ChartWindow;
import dev.modelguardian.app.page.StatusPageHtml;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.postmortem.SignalWindow;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth.FiredSignal;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.TimedObservation;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.prometheus.PromQlQuery;

/**
 * What the status page costs the server for 50 targets: the state ConfigMap read from the (mock) API server and
 * decoded, plus the overview's HTML; and a target's page with 5 charts over 6h (360 points each at Prometheus's 1m
 * step, 1441 at 15s). Medians and p90 over 200 runs after 200 warm-up runs, one JVM. Run by
 * {@code bench/status-page.sh}; writes bench/out/status-page.md.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class StatusPageBenchmark {

    static final int TARGETS = 50;
    static final int SIGNALS_PER_TARGET = 5;
    static final int HISTORY = 10;
    static final int WARMUP = 200;
    static final int RUNS = 200;
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void statusPage() throws IOException {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            ConfigMapStateStore store = new ConfigMapStateStore(client, "neural-hive", "model-guardian-state");
            List<TargetSpec> targets = new ArrayList<>();
            List<Evaluation> evaluations = new ArrayList<>();
            for (int t = 0; t < TARGETS; t++) {
                String name = "model-" + t + "-training";
                targets.add(new TargetSpec(name, name, List.of("model-" + t)));
                for (int s = 0; s < SIGNALS_PER_TARGET; s++) {
                    evaluations.add(evaluation("model-" + t, "signal-" + s));
                }
                assertThat(store.compareAndSet(name, 0, record(name))).isTrue();
            }
            StatusPageHtml.Context context = new StatusPageHtml.Context("neural-hive", NOW, "guardian-0", true,
                    Optional.of("guardian-0"), new StatusPageHtml.Freshness(Optional.of(NOW.minusSeconds(20)),
                            Duration.ofMinutes(1), Optional.empty(), List.of()), true);
            int stateBytes = client.configMaps().inNamespace("neural-hive").withName("model-guardian-state").get()
                    .getData().values().stream().mapToInt(String::length).sum();

            Supplier<String> overview = () -> {
                GuardianState state = store.load();
                return StatusPageHtml.overview(context, targets.stream()
                        .map(t -> new StatusPageHtml.Row(t, state.target(t.name(), NOW))).toList(), evaluations);
            };
            GuardianState loaded = store.load();
            Supplier<String> renderOnly = () -> StatusPageHtml.overview(context, targets.stream()
                    .map(t -> new StatusPageHtml.Row(t, loaded.target(t.name(), NOW))).toList(), evaluations);
            TargetSpec one = targets.getFirst();
            StatusPageHtml.Row row = new StatusPageHtml.Row(one, loaded.target(one.name(), NOW));
            List<Evaluation> ofOne = evaluations.subList(0, SIGNALS_PER_TARGET);
            Supplier<String> target360 = () -> StatusPageHtml.target(context, row, ofOne, ChartWindow.SIX_HOURS, NOW,
                    true, charts(ofOne, 360));
            Supplier<String> target1441 = () -> StatusPageHtml.target(context, row, ofOne, ChartWindow.SIX_HOURS,
                    NOW, true, charts(ofOne, 1441));

            StringBuilder md = new StringBuilder("State: ").append(TARGETS).append(" targets with ").append(HISTORY)
                    .append(" finished remediations each, ").append(stateBytes / 1024).append(" KiB of state JSON; ")
                    .append(TARGETS * SIGNALS_PER_TARGET).append(" signals. ").append(RUNS).append(" runs after ")
                    .append(WARMUP).append(" warm-up runs.\n\n| what | HTML | median | p90 |\n|---|---|---|---|\n");
            md.append(line("overview: read and decode the state from the API server, render 50 targets", overview));
            md.append(line("overview: render only (state already decoded)", renderOnly));
            md.append(line("a target's page: 5 charts x 360 points (6h at 1m), history of 10", target360));
            md.append(line("a target's page: 5 charts x 1441 points (6h at 15s), history of 10", target1441));
            Files.createDirectories(Path.of("bench/out"));
            Files.writeString(Path.of("bench/out/status-page.md"), md.toString());
            System.out.println(md);
        } finally {
            server.destroy();
        }
    }

    private static String line(String what, Supplier<String> page) {
        int size = 0;
        for (int i = 0; i < WARMUP; i++) {
            size = page.get().length();
        }
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            size = page.get().length();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return "| " + what + " | " + size / 1024 + " KiB | " + ms(nanos[RUNS / 2]) + " | "
                + ms(nanos[(int) (RUNS * 0.9)]) + " |\n";
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static Evaluation evaluation(String model, String signal) {
        Policy policy = new Policy(model, signal, new PromQlQuery("max(" + signal + "{model=\"" + model
                + "\"})"), Bound.above(20).withClear(18), Duration.ofHours(1), Reduce.MAX, NoDataPolicy.INCONCLUSIVE,
                "");
        return new Evaluation(policy, new PolicyStatus(PolicyState.HEALTHY, NOW.minusSeconds(3600), Optional.empty(),
                Optional.empty(), OptionalDouble.of(12.5), 1, 0, Optional.empty()), Duration.ofMillis(3));
    }

    private static List<SignalWindow> charts(List<Evaluation> evaluations, int points) {
        List<SignalWindow> charts = new ArrayList<>();
        Duration step = ChartWindow.SIX_HOURS.length().dividedBy(points - 1L);
        for (Evaluation e : evaluations) {
            List<TimedObservation> series = new ArrayList<>(points);
            for (int i = 0; i < points; i++) {
                series.add(new TimedObservation(NOW.minus(ChartWindow.SIX_HOURS.length()).plus(step.multipliedBy(i)),
                        Observation.of(15 + 10 * Math.sin(i / 40.0))));
            }
            charts.add(new SignalWindow(e.policy(), series, Optional.empty()));
        }
        return charts;
    }

    /** A target with {@link #HISTORY} finished remediations, each with its timeline, trigger and actions. */
    private static TargetRecord record(String name) {
        List<HistoryEntry> history = new ArrayList<>();
        for (int h = 0; h < HISTORY; h++) {
            Instant started = NOW.minus(Duration.ofDays(HISTORY - h));
            Instant ended = started.plus(Duration.ofMinutes(42));
            history.add(new HistoryEntry("r" + started.getEpochSecond(), Optional.of("ml-retrain-emergency-"
                    + started.getEpochSecond()), started, ended, HistoryEntry.Outcome.PROMOTED,
                    "verified: every signal within bounds for 5m", List.of(new FiredSignal(name, "signal-0", 24,
                            "> 20 for 1h")), Optional.empty(), List.of("promoted version 12 of " + name),
                    new Timeline(List.of(new Timeline.Mark(RemediationState.FIRING, started),
                            new Timeline.Mark(RemediationState.RETRAINING, started),
                            new Timeline.Mark(RemediationState.VALIDATING, ended.minusSeconds(900)),
                            new Timeline.Mark(RemediationState.PROMOTING, ended.minusSeconds(600)),
                            new Timeline.Mark(RemediationState.VERIFYING, ended.minusSeconds(300)),
                            new Timeline.Mark(RemediationState.HEALTHY, ended)),
                            Optional.of(new Timeline.Approval(Timeline.AUTO, started)))));
        }
        TargetState healthy = TargetState.healthy(NOW.minus(Duration.ofHours(5)));
        return new TargetRecord(1, healthy, "all signals healthy", Progress.EMPTY, Map.of(), history,
                Timeline.EMPTY, Optional.empty());
    }
}
