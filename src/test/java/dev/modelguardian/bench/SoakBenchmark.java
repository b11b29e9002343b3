package dev.modelguardian.bench;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.scrape.ScrapedSample;
import dev.modelguardian.integrations.scrape.TextFormatParser;
import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;

/**
 * {@code serve} for a long time, as a sidecar runs: its own process ({@code java [JAVA_OPTS] -jar quarkus-run.jar
 * serve}) with the bundled Neural Hive defaults, a full cycle every second, against the fabric8 mock API server (CRUD
 * mode, in this JVM) and a real Prometheus scraping the model server's metrics every second. Every few minutes the
 * input drift of one feature breaches (PSI 0.41 over 0.25), the guardian starts a retraining Job, this class plays the
 * Job controller (the Job completes) and puts the metric back, and the remediation runs to its end (verification,
 * cooldown). Every {@code SAMPLE} it forces a full GC ({@code jcmd PID GC.run}) and reads the heap used right after,
 * the process's {@code VmRSS}, non-heap committed and live threads; at the end, the least-squares slope of RSS and of
 * heap after GC over the samples after warm-up, a table, and an SVG chart. Run by {@code bench/soak.sh}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class SoakBenchmark {

    static final Duration LENGTH = Duration.ofSeconds(Long.getLong("bench.soak-seconds", 300));
    static final Duration SAMPLE = Duration.ofSeconds(Long.getLong("bench.sample-seconds", 60));
    static final Duration REMEDIATE_EVERY = Duration.ofSeconds(Long.getLong("bench.remediate-every-seconds", 180));
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warm-up-seconds", 120));
    static final List<String> JAVA_OPTS = Arrays.stream(System.getProperty("bench.java-opts", "").split("\\s+"))
            .filter(s -> !s.isBlank()).toList();
    static final Path JAR = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
    static final Path METRICS = Path.of("bench/neural-hive-healthy.metrics");
    static final Path OUT = Path.of(System.getProperty("bench.out", "bench/out"));
    /** One feature's drift in the healthy scrape, and the same series breaching {@code feature-psi} (> 0.25). */
    static final String HEALTHY_PSI = "feature=\"task_count\",model_name=\"duration-predictor\"} 0.11";
    static final String BREACHED_PSI = "feature=\"task_count\",model_name=\"duration-predictor\"} 0.41";
    static final double MIB = 1024 * 1024;

    /** One reading of the process, after a forced full GC. */
    record Sample(double minute, long cycles, int remediations, double rssMib, double rssAnonMib, double rssFileMib,
            double heapAfterGcMib, double nonHeapMib, double threads) {
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void soak() throws Exception {
        assertThat(JAR).as("the packaged application (./dev run --help builds it)").exists();
        Files.createDirectories(OUT);
        String healthy = Files.readString(METRICS);
        assertThat(healthy).contains(HEALTHY_PSI);
        String breached = healthy.replace(HEALTHY_PSI, BREACHED_PSI);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        List<Sample> samples = new ArrayList<>();
        Path log = OUT.resolve("soak-serve.log");
        try (KubernetesClient client = server.createClient();
                MetricsEndpoint endpoint = new MetricsEndpoint();
                PrometheusServer prometheus = new PrometheusServer(endpoint)) {
            NeuralHive.install(client);
            endpoint.set(healthy);
            await("Prometheus scrapes the model server").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> prometheus.queryValue("count({__name__=~\"orchestration_ml_.+\"})") > 0);
            int port = freePort();
            Process serve = start(client, prometheus.url(), port, log);
            try {
                URI metrics = URI.create("http://127.0.0.1:" + port + "/q/metrics");
                await("serve ready: " + log).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .failFast("serve exited: " + log, () -> !serve.isAlive())
                        .until(() -> status(URI.create("http://127.0.0.1:" + port + "/q/health/ready")) == 200);
                ConfigMapStateStore state = new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state");
                long t0 = System.nanoTime();
                long end = t0 + LENGTH.toNanos();
                long nextSample = t0;
                long nextBreach = t0 + Duration.ofSeconds(30).toNanos();
                long firedAt = 0;
                int finished = 0;
                int historyBefore = 0;
                Phase phase = Phase.QUIET;
                while (System.nanoTime() < end) {
                    assertThat(serve.isAlive()).as("serve still running: " + log).isTrue();
                    long now = System.nanoTime();
                    switch (phase) {
                        case QUIET -> {
                            if (now >= nextBreach) {
                                historyBefore = history(state);
                                endpoint.set(breached);
                                firedAt = now;
                                phase = Phase.FIRING;
                            }
                        }
                        case FIRING -> {
                            List<Job> running = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()
                                    .stream().filter(j -> j.getStatus() == null || j.getStatus().getConditions() == null
                                            || j.getStatus().getConditions().isEmpty()).toList();
                            if (!running.isEmpty()) {
                                // Plays the Job controller, then the model server after a good training.
                                running.forEach(j -> NeuralHive.finish(client, j.getMetadata().getName(), "Complete",
                                        null));
                                endpoint.set(healthy);
                                phase = Phase.FINISHING;
                            } else {
                                assertThat(now - firedAt).as("a Job within 120 s of the breach: " + log)
                                        .isLessThan(Duration.ofSeconds(120).toNanos());
                            }
                        }
                        case FINISHING -> {
                            if (history(state) > historyBefore) {
                                finished++;
                                nextBreach = now + REMEDIATE_EVERY.toNanos();
                                phase = Phase.QUIET;
                            } else {
                                assertThat(now - firedAt).as("the remediation ends within 5 min: " + log)
                                        .isLessThan(Duration.ofMinutes(5).toNanos());
                            }
                        }
                    }
                    if (now >= nextSample) {
                        samples.add(sample(serve.pid(), metrics, (now - t0) / 60e9, finished));
                        nextSample += SAMPLE.toNanos();
                    }
                    // The driver's pace (it looks twice a second), not a wait for a condition.
                    Thread.sleep(500);
                }
                samples.add(sample(serve.pid(), metrics, (System.nanoTime() - t0) / 60e9, finished));
                if (JAVA_OPTS.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
                    // What the JVM itself says it holds, by area, at the end (heap, metaspace, code, threads, GC...).
                    jcmd(serve.pid(), ProcessBuilder.Redirect.to(OUT.resolve("soak-nmt.txt").toFile()),
                            "VM.native_memory", "summary");
                }
                // What the live heap is made of at the end, by class (GC.class_histogram collects first).
                jcmd(serve.pid(), ProcessBuilder.Redirect.to(OUT.resolve("soak-histogram.txt").toFile()),
                        "GC.class_histogram");
            } finally {
                serve.destroy();
                if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                    serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            server.destroy();
        }
        Sample last = samples.getLast();
        assertThat(last.cycles()).as("cycles done: " + log).isGreaterThan(LENGTH.toSeconds() / 4);
        assertThat(last.remediations()).as("remediations run to their end: " + log).isGreaterThanOrEqualTo(1);
        write(samples);
    }

    private enum Phase {
        /** The signals are healthy; the next breach is due at {@code nextBreach}. */
        QUIET,
        /** The drift breaches; waiting for the guardian's Job. */
        FIRING,
        /** The Job completed and the drift is back; waiting for the remediation to end. */
        FINISHING
    }

    private static int history(ConfigMapStateStore state) {
        TargetRecord record = state.load().targets().get(CRON_JOB);
        return record == null ? 0 : record.history().size();
    }

    /** Neural Hive's defaults, with guards that let a remediation start every few minutes. */
    @SuppressWarnings("unchecked")
    private static Path config() throws IOException {
        Map<String, Object> root = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(Path.of("src/main/resources/neural-hive-defaults.yaml")));
        Map<String, Object> guardian = (Map<String, Object>) root.get("guardian");
        guardian.put("interval", "1s");
        ((Map<String, Object>) guardian.computeIfAbsent("remediation", k -> new java.util.LinkedHashMap<>()))
                .putAll(Map.of("cooldown", "30s", "max-per-day", 100_000, "relist-interval", "1s"));
        Map<String, Object> target = (Map<String, Object>) ((Map<String, Object>) guardian.get("targets")).get(CRON_JOB);
        target.put("verify-window", "20s");
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = OUT.resolve("soak-guardian.yaml");
        Files.writeString(file, new Yaml(options).dump(root));
        return file;
    }

    private static Process start(KubernetesClient client, String prometheusUrl, int port, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JAVA_OPTS);
        command.addAll(List.of("-Dkubernetes.master=" + client.getConfiguration().getMasterUrl(),
                "-Dkubernetes.trust.certificates=true", "-Dkubernetes.auth.tryKubeConfig=false",
                "-Dquarkus.http.port=" + port, "-jar", JAR.toAbsolutePath().toString(), "serve", "--config",
                config().toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("KUBECONFIG");
        builder.environment().put("POD_NAME", "guardian-soak");
        builder.environment().put("POD_NAMESPACE", NAMESPACE);
        builder.environment().put("GUARDIAN_PROMETHEUS_URL", prometheusUrl);
        Files.writeString(OUT.resolve("soak.command"), "GUARDIAN_PROMETHEUS_URL=" + prometheusUrl + " POD_NAMESPACE="
                + NAMESPACE + " " + String.join(" ", command) + "\n");
        return builder.start();
    }

    private Sample sample(long pid, URI metrics, double minute, int remediations)
            throws IOException, InterruptedException {
        jcmd(pid, ProcessBuilder.Redirect.DISCARD, "GC.run");
        List<ScrapedSample> meters = TextFormatParser.parse(http.send(HttpRequest.newBuilder(metrics)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body()).samples();
        List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        java.util.function.ToDoubleFunction<String> kib = field -> status.stream().filter(l -> l.startsWith(field + ":"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
        return new Sample(minute, (long) sum(meters, "guardian_cycle_seconds_count", null), remediations,
                kib.applyAsDouble("VmRSS") / 1024.0, kib.applyAsDouble("RssAnon") / 1024.0,
                kib.applyAsDouble("RssFile") / 1024.0, sum(meters, "jvm_memory_used_bytes", "heap") / MIB,
                sum(meters, "jvm_memory_committed_bytes", "nonheap") / MIB, sum(meters, "jvm_threads_live_threads",
                        null));
    }

    private static double sum(List<ScrapedSample> samples, String name, String area) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> area == null || area.equals(s.labels().get("area")))
                .mapToDouble(ScrapedSample::value).sum();
    }

    private int status(URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0; // not listening yet
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // --- output ----------------------------------------------------------------------------------------------------

    /** Least-squares slope of {@code y} over the minute, in MiB per hour, of the samples after warm-up. */
    static double slopePerHour(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        List<Sample> after = samples.stream().filter(s -> s.minute() >= WARM_UP.toSeconds() / 60.0).toList();
        if (after.size() < 2) {
            return Double.NaN;
        }
        double mx = after.stream().mapToDouble(Sample::minute).average().orElseThrow();
        double my = after.stream().mapToDouble(y).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (Sample s : after) {
            num += (s.minute() - mx) * (y.applyAsDouble(s) - my);
            den += (s.minute() - mx) * (s.minute() - mx);
        }
        return num / den * 60;
    }

    /** Runs {@code jcmd PID COMMAND...} of this JDK, its output to {@code out}, and waits (at most a minute) for it. */
    private static void jcmd(long pid, ProcessBuilder.Redirect out, String... command)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(out).start();
        assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).as("jcmd " + String.join(" ", command)).isTrue();
    }

    private static void write(List<Sample> samples) throws IOException {
        List<String> tsv = new ArrayList<>(List.of("minute\tcycles\tremediations\tvm_rss_mib\trss_anon_mib"
                + "\trss_file_mib\theap_after_gc_mib\tnonheap_committed_mib\tthreads"));
        samples.forEach(s -> tsv.add(String.format(Locale.ROOT, "%.2f\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f",
                s.minute(), s.cycles(), s.remediations(), s.rssMib(), s.rssAnonMib(), s.rssFileMib(),
                s.heapAfterGcMib(), s.nonHeapMib(), s.threads())));
        Files.write(OUT.resolve("soak.tsv"), tsv);
        Files.writeString(OUT.resolve("soak.svg"), svg(samples));
        Sample last = samples.getLast();
        List<Sample> after = samples.stream().filter(s -> s.minute() >= WARM_UP.toSeconds() / 60.0).toList();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%.1f minutes, %d cycles (`guardian.interval` 1s), %d remediations run to their"
                + " end (breach, Job, completion, verification); JVM options: %s%n%n", last.minute(), last.cycles(),
                last.remediations(), JAVA_OPTS.isEmpty() ? "none (JVM defaults)" : "`" + String.join(" ", JAVA_OPTS)
                        + "`"));
        md.append("| | after warm-up (minute ").append(WARM_UP.toSeconds() / 60).append(") | at the end | highest |"
                + " slope after warm-up |\n|---|---|---|---|---|\n");
        row(md, "`VmRSS`", after, last, samples, Sample::rssMib);
        row(md, "`RssAnon` (heap, metaspace, code, stacks, malloc)", after, last, samples, Sample::rssAnonMib);
        row(md, "`RssFile` (the JDK's libraries and archives, mapped)", after, last, samples, Sample::rssFileMib);
        row(md, "heap used after a full GC", after, last, samples, Sample::heapAfterGcMib);
        row(md, "non-heap committed", after, last, samples, Sample::nonHeapMib);
        md.append(String.format(Locale.ROOT, "| live threads | %.0f | %.0f | %.0f | |%n", after.isEmpty() ? Double.NaN
                : after.getFirst().threads(), last.threads(), samples.stream().mapToDouble(Sample::threads).max()
                        .orElseThrow()));
        Files.writeString(OUT.resolve("soak.md"), md.toString());
    }

    private static void row(StringBuilder md, String name, List<Sample> after, Sample last, List<Sample> all,
            java.util.function.ToDoubleFunction<Sample> y) {
        md.append(String.format(Locale.ROOT, "| %s | %.1f MiB | %.1f MiB | %.1f MiB | %+.2f MiB/h |%n", name,
                after.isEmpty() ? Double.NaN : y.applyAsDouble(after.getFirst()), y.applyAsDouble(last),
                all.stream().mapToDouble(y).max().orElseThrow(), slopePerHour(all, y)));
    }

    /** RSS and heap after GC over the minutes, with the end of warm-up marked. */
    static String svg(List<Sample> samples) {
        int w = 760;
        int h = 340;
        int left = 60;
        int right = 20;
        int top = 30;
        int bottom = 50;
        double maxX = Math.max(1, samples.getLast().minute());
        double maxY = Math.ceil(samples.stream().mapToDouble(Sample::rssMib).max().orElse(1) * 1.1 / 50) * 50;
        java.util.function.DoubleUnaryOperator x = m -> left + m / maxX * (w - left - right);
        java.util.function.DoubleUnaryOperator yy = v -> top + (1 - v / maxY) * (h - top - bottom);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", w, h, w, h));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
        for (double v = 0; v <= maxY; v += 50) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", left, yy.applyAsDouble(v),
                    w - right, yy.applyAsDouble(v), left - 6, yy.applyAsDouble(v) + 4, v));
        }
        double step = maxX > 20 ? 5 : 1;
        for (double m = 0; m <= maxX + 1e-9; m += step) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n",
                    x.applyAsDouble(m), h - bottom + 16, m));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minutes since ready"
                + "</text>%n<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">MiB</text>%n",
                (w + left) / 2, h - 12, (h - bottom + top) / 2, (h - bottom + top) / 2));
        double warm = WARM_UP.toSeconds() / 60.0;
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\""
                + " stroke-dasharray=\"4 4\"/><text x=\"%.1f\" y=\"%d\" fill=\"#555\">end of warm-up</text>%n",
                x.applyAsDouble(warm), top, x.applyAsDouble(warm), h - bottom, x.applyAsDouble(warm) + 4, top + 12));
        polyline(s, samples, x, yy, Sample::rssMib, "#1f5fbf");
        polyline(s, samples, x, yy, Sample::heapAfterGcMib, "#d9731a");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" fill=\"#1f5fbf\">VmRSS</text>"
                + "<text x=\"%d\" y=\"18\" fill=\"#d9731a\">heap used after a full GC</text>%n", left, left + 70));
        return s.append("</svg>\n").toString();
    }

    private static void polyline(StringBuilder s, List<Sample> samples, java.util.function.DoubleUnaryOperator x,
            java.util.function.DoubleUnaryOperator y, java.util.function.ToDoubleFunction<Sample> value, String color) {
        s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"");
        for (Sample sample : samples) {
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(sample.minute()),
                    y.applyAsDouble(value.applyAsDouble(sample))));
        }
        s.append("\"/>\n");
    }
}
