package dev.modelguardian.bench;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import dev.modelguardian.integrations.scrape.ScrapedSample;
import dev.modelguardian.integrations.scrape.TextFormatParser;
import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;

/**
 * A benchmark, not a test: how long the packaged {@code serve} takes from process start to its first 200 on
 * {@code /q/health/ready}, what happens on the way (from its own log and from the API requests it sends), and how much
 * memory it holds once idle with a few cycles done. It asserts no timing; it only checks that what it timed is what it
 * claims (the process leads, its cycles run, every Neural Hive policy is healthy, it exits on SIGTERM), and
 * writes its raw numbers, its tables and each run's log to {@code bench/out/} ({@code -Dbench.out}).
 *
 * <p>It runs only with {@code -Dbench=true} ({@link EnabledIfSystemProperty}), and its name does not match
 * Surefire's test patterns, so {@code ./mvnw verify} never runs it; {@code bench/serve-startup.sh} does.
 *
 * <p>Per run: {@code java [bench.java-opts] -jar target/quarkus-app/quarkus-run.jar serve} as its own process, with the
 * bundled Neural Hive defaults (5 policies, 1 target), configured as the sidecar is ({@code POD_NAME},
 * {@code POD_NAMESPACE}, {@code GUARDIAN_PROMETHEUS_URL}) plus {@code guardian.remediation.relist-interval} set to
 * {@code bench.interval} (5s) and {@code guardian.interval} to 1s, so that every tick of the scheduler runs a full
 * cycle, and the {@code ServeLoop} category at DEBUG so that every cycle logs one line with its duration. The
 * Kubernetes API is the fabric8 mock server in CRUD mode in this JVM (a dispatcher that notes the arrival time of
 * every request), holding Neural Hive's CronJob, flag ConfigMap and Deployment; the Lease, the state ConfigMap, Jobs
 * and Events are deleted before each run, so every run is a first start on a clean cluster. Prometheus is Debian's
 * binary on loopback scraping {@code bench/neural-hive-healthy.metrics} every second.
 *
 * <p>Timing: {@link System#nanoTime()} just before {@link ProcessBuilder#start()}; {@code /q/health/ready} polled
 * every {@code bench.poll-ms} (10 ms) until the first 200, so that figure is up to one poll late. The log's wall-clock
 * timestamps (1 ms) are placed on the same time line through {@link Instant#now()} taken with the start. The first
 * cycle runs as soon as the Lease is held; the scheduler ticks from one second after start ({@code ServeLoop}'s
 * {@code @Scheduled(delay = 1, delayUnit = SECONDS)}): {@code VmRSS} is read at ready, 30 s after ready, and after
 * {@code bench.idle-seconds} (75 s by default) from ready, when a dozen scheduled cycles have run: {@code VmRSS} (and {@code VmHWM}, {@code RssAnon}, {@code RssFile})
 * from {@code /proc/PID/status}, then the JVM's own heap figures from {@code /q/metrics}. Then SIGTERM, as the kubelet
 * sends it. CPU: the process's own (utime + stime of {@code /proc/PID/stat}), and the share of the machine that other
 * processes used (all busy time of {@code /proc/stat} minus this JVM and its children: prometheus and serve).
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ServeStartupBenchmark {

    static final int RUNS = Integer.getInteger("bench.runs", 5);
    static final int WARMUP = Integer.getInteger("bench.warmup", 1);
    static final Duration IDLE = Duration.ofSeconds(Long.getLong("bench.idle-seconds", 75));
    /** When the RSS is also read during the idle period, before the scheduler's first tick. */
    static final Duration EARLY = Duration.ofSeconds(30);
    static final String INTERVAL = System.getProperty("bench.interval", "5s");
    static final Duration POLL = Duration.ofMillis(Long.getLong("bench.poll-ms", 10));
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static final List<String> JAVA_OPTS = Arrays.stream(System.getProperty("bench.java-opts", "").split("\\s+"))
            .filter(s -> !s.isBlank()).toList();
    static final Path JAR = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
    static final Path METRICS = Path.of("bench/neural-hive-healthy.metrics");
    static final Path OUT = Path.of(System.getProperty("bench.out", "bench/out"));
    /** Clock ticks per second of /proc's CPU times ({@code getconf CLK_TCK}). */
    static final int CLK_TCK = Integer.getInteger("bench.clk-tck", 100);
    static final String LEASE = "model-guardian-leader";
    static final String STATE = "model-guardian-state";
    static final String IDENTITY = "guardian-bench";
    static final double MIB = 1024 * 1024;

    static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) ");
    static final DateTimeFormatter LOG_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    static final Pattern STARTED_IN = Pattern.compile("\\[io\\.quarkus\\].* started in (\\d+\\.\\d+)s");
    static final Pattern CYCLE = Pattern.compile("\\[dev\\.modelguardian\\.app\\.wiring\\.ServeLoop\\].* Cycle: (\\d+)"
            + " policies, (\\d+) targets in (\\d+) ms");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    /** Every request the mock API server received, with its arrival time (nanoTime) and method. */
    static final class TimedRequests extends KubernetesCrudDispatcher {
        record Arrival(long nanos, String method, String path) {
        }

        final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            arrivals.add(new Arrival(System.nanoTime(), request.getMethod(), request.getPath()));
            return super.dispatch(request);
        }

        /** Nanoseconds from {@code start} to the first request matching {@code method} and {@code path}, or -1. */
        long first(long start, String method, Predicate<String> path) {
            return arrivals.stream().filter(a -> a.nanos() >= start)
                    .filter(a -> method == null || a.method().equalsIgnoreCase(method))
                    .filter(a -> path.test(a.path())).mapToLong(a -> a.nanos() - start).findFirst().orElse(-1);
        }
    }

    /** One measured quantity over the runs, in its own unit. */
    record Metric(String name, String unit, String description) {
    }

    static final Metric READY = new Metric("ready_ms", "ms", "process start -> first 200 of `/q/health/ready`");
    static final Metric FIRST_ANSWER = new Metric("first_http_answer_ms", "ms",
            "process start -> first HTTP answer of any status");
    static final Metric BEFORE_QUARKUS = new Metric("jvm_before_quarkus_clock_ms", "ms",
            "process start -> Quarkus' clock starts (the \"started in\" line's time minus its figure)");
    static final Metric QUARKUS_STARTED_IN = new Metric("quarkus_started_in_ms", "ms",
            "Quarkus' own \"started in\" (CDI, configuration, HTTP server listening)");
    static final Metric STARTED_LINE = new Metric("started_line_ms", "ms",
            "process start -> Quarkus' \"started in\" log line");
    static final Metric FIRST_API = new Metric("first_api_request_ms", "ms",
            "process start -> first Kubernetes API request (serve's preflight read of the state ConfigMap)");
    static final Metric COMPETING = new Metric("competing_for_lease_ms", "ms",
            "process start -> \"competing for Lease\" (preflight done, Job watch opened)");
    static final Metric LEASE_CREATED = new Metric("lease_created_ms", "ms",
            "process start -> the Lease create reaches the API server");
    static final Metric LEADING = new Metric("leading_ms", "ms", "process start -> \"leading\" log line");
    static final Metric FIRST_CYCLE_DONE = new Metric("first_cycle_done_ms", "ms",
            "process start -> first cycle done (its DEBUG line)");
    static final Metric FIRST_CYCLE = new Metric("first_cycle_took_ms", "ms", "the first cycle itself (as it logs)");
    static final Metric LATER_CYCLE = new Metric("later_cycle_took_ms", "ms",
            "a later cycle (median of the idle period's cycles after the first, as they log)");
    static final Metric CPU_AT_READY = new Metric("cpu_at_ready_ms", "ms", "CPU time of the process at ready");
    static final Metric OTHERS_STARTUP = new Metric("others_startup_percent", "%",
            "other processes' share of the machine from process start to ready");
    static final Metric RSS_AT_READY = new Metric("ready_vm_rss_mib", "MiB", "`VmRSS` at ready");
    static final Metric RSS_EARLY = new Metric("early_vm_rss_mib", "MiB",
            "`VmRSS` 30 s after ready (several cycles done)");
    static final Metric RSS = new Metric("idle_vm_rss_mib", "MiB", "`VmRSS` at the end of the idle period");
    static final Metric HWM = new Metric("idle_vm_hwm_mib", "MiB", "`VmHWM` (peak RSS) after the idle period");
    static final Metric RSS_ANON = new Metric("idle_rss_anon_mib", "MiB", "`RssAnon` (heap, metaspace, code, stacks)");
    static final Metric RSS_FILE = new Metric("idle_rss_file_mib", "MiB",
            "`RssFile` (mapped jars, libjvm, CDS archive)");
    static final Metric HEAP_USED = new Metric("idle_heap_used_mib", "MiB", "heap used (`jvm_memory_used_bytes`)");
    static final Metric HEAP_COMMITTED = new Metric("idle_heap_committed_mib", "MiB",
            "heap committed (`jvm_memory_committed_bytes`)");
    static final Metric NONHEAP_COMMITTED = new Metric("idle_nonheap_committed_mib", "MiB",
            "non-heap committed (metaspace, code cache)");
    static final Metric THREADS = new Metric("idle_live_threads", "", "live JVM threads");
    static final Metric IDLE_CYCLES = new Metric("idle_cycles", "", "cycles done by the end of the idle period");
    static final Metric IDLE_CPU = new Metric("idle_cpu_percent_of_one_core", "%",
            "CPU of the process during the idle period, share of one core");
    static final Metric OTHERS_IDLE = new Metric("others_idle_percent", "%",
            "other processes' share of the machine during the idle period");
    static final Metric SIGTERM_TO_EXIT = new Metric("sigterm_to_exit_ms", "ms", "SIGTERM -> process exited");
    /** 1 when the Lease's holder was empty after the process exited, else 0. */
    static final Metric LEASE_RELEASED = new Metric("lease_released_on_sigterm", "", "Lease released on SIGTERM");

    static final List<Metric> TIME_LINE = List.of(BEFORE_QUARKUS, QUARKUS_STARTED_IN, STARTED_LINE, FIRST_ANSWER,
            READY, FIRST_API, COMPETING, LEASE_CREATED, LEADING, FIRST_CYCLE_DONE, FIRST_CYCLE, LATER_CYCLE,
            CPU_AT_READY, OTHERS_STARTUP);
    static final List<Metric> MEMORY = List.of(RSS_AT_READY, RSS_EARLY, RSS, HWM, RSS_ANON, RSS_FILE, HEAP_USED,
            HEAP_COMMITTED, NONHEAP_COMMITTED, THREADS, IDLE_CYCLES, IDLE_CPU, OTHERS_IDLE, SIGTERM_TO_EXIT);

    @Test
    void serveStartup() throws Exception {
        assertThat(JAR).as("the packaged application (./dev run --help builds it)").exists();
        Files.createDirectories(OUT);
        String body = Files.readString(METRICS);
        long seriesInFile = body.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        TimedRequests requests = new TimedRequests();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                requests, false);
        server.init();
        Map<Metric, List<Double>> values = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>(List.of("run\tmetric\tvalue"));
        try (KubernetesClient client = server.createClient();
                MetricsEndpoint endpoint = new MetricsEndpoint();
                PrometheusServer prometheus = new PrometheusServer(endpoint)) {
            NeuralHive.install(client);
            endpoint.set(body);
            await("Prometheus holds all " + seriesInFile + " series of " + METRICS).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> prometheus.queryValue("count({__name__=~\"orchestration_ml_.+\"})") >= seriesInFile);
            for (int run = 1 - WARMUP; run <= RUNS; run++) {
                Map<Metric, Double> measured = runOnce(client, requests, prometheus.url(), run);
                for (Map.Entry<Metric, Double> m : measured.entrySet()) {
                    raw.add((run < 1 ? "warm-up" : "" + run) + "\t" + m.getKey().name() + "\t"
                            + String.format(Locale.ROOT, "%.3f", m.getValue()));
                    if (run >= 1) {
                        values.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(m.getValue());
                    }
                }
            }
        } finally {
            server.destroy();
        }
        Files.write(OUT.resolve("serve-startup.tsv"), raw);
        Files.writeString(OUT.resolve("serve-startup.md"), summary(values));
    }

    /** One start, idle period and stop of serve; every figure of that run. */
    private Map<Metric, Double> runOnce(KubernetesClient client, TimedRequests requests, String prometheusUrl, int run)
            throws IOException, InterruptedException {
        resetCluster(client);
        int port = freePort();
        Path log = OUT.resolve("serve-startup-run" + (run < 1 ? "-warm-up" + (1 - run) : "" + run) + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JAVA_OPTS);
        command.addAll(List.of("-Dkubernetes.master=" + client.getConfiguration().getMasterUrl(),
                "-Dkubernetes.trust.certificates=true", "-Dkubernetes.auth.tryKubeConfig=false",
                "-Dquarkus.http.port=" + port, "-Dguardian.interval=1s",
                "-Dguardian.remediation.relist-interval=" + INTERVAL,
                "-Dquarkus.log.category.\"dev.modelguardian.app.wiring.ServeLoop\".level=DEBUG",
                "-jar", JAR.toAbsolutePath().toString(), "serve"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("KUBECONFIG");
        builder.environment().put("POD_NAME", IDENTITY);
        builder.environment().put("POD_NAMESPACE", NAMESPACE);
        builder.environment().put("GUARDIAN_PROMETHEUS_URL", prometheusUrl);
        if (run == 1 - WARMUP) {
            List<String> shell = new ArrayList<>(List.of("POD_NAME=" + IDENTITY, "POD_NAMESPACE=" + NAMESPACE,
                    "GUARDIAN_PROMETHEUS_URL=" + prometheusUrl));
            command.forEach(arg -> shell.add(arg.contains("\"") ? "'" + arg + "'" : arg));
            Files.writeString(OUT.resolve("serve-startup.command"), String.join(" ", shell) + "\n");
        }

        Map<Metric, Double> m = new LinkedHashMap<>();
        long machineBefore = machineBusyTicks();
        long oursBefore = ourTicks();
        Instant wallStart = Instant.now();
        long start = System.nanoTime();
        Process serve = builder.start();
        AtomicLong firstAnswer = new AtomicLong(-1);
        AtomicLong ready = new AtomicLong(-1);
        try {
            URI readiness = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
            await("serve ready on port " + port).atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .pollInSameThread()
                    .failFast("serve exited before it was ready; its output is in " + log, () -> !serve.isAlive())
                    .until(() -> {
                        int status = status(readiness);
                        long now = System.nanoTime() - start;
                        if (status > 0) {
                            firstAnswer.compareAndSet(-1, now);
                        }
                        if (status == 200) {
                            ready.set(now);
                            return true;
                        }
                        return false;
                    });
            long readyAt = start + ready.get();
            long cpuAtReady = processTicks(serve.pid());
            m.put(READY, ready.get() / 1e6);
            m.put(FIRST_ANSWER, firstAnswer.get() / 1e6);
            m.put(CPU_AT_READY, cpuAtReady * 1000.0 / CLK_TCK);
            m.put(OTHERS_STARTUP, othersPercent(machineBefore, oursBefore, ready.get()));

            m.put(RSS_AT_READY, procStatus(serve.pid()).get("VmRSS") / 1024.0);

            // The idle period is what is measured here, not a wait for some condition.
            long idleMachine = machineBusyTicks();
            long idleOurs = ourTicks();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(readyAt + EARLY.toNanos() - System.nanoTime())));
            m.put(RSS_EARLY, procStatus(serve.pid()).get("VmRSS") / 1024.0);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(readyAt + IDLE.toNanos() - System.nanoTime())));
            assertThat(serve.isAlive()).as("serve still running after the idle period: " + log).isTrue();
            Map<String, Long> status = procStatus(serve.pid());
            long idleNanos = System.nanoTime() - readyAt;
            m.put(IDLE_CPU, 100.0 * (processTicks(serve.pid()) - cpuAtReady) / CLK_TCK / (idleNanos / 1e9));
            m.put(OTHERS_IDLE, othersPercent(idleMachine, idleOurs, idleNanos));
            m.put(RSS, status.get("VmRSS") / 1024.0);
            m.put(HWM, status.get("VmHWM") / 1024.0);
            m.put(RSS_ANON, status.get("RssAnon") / 1024.0);
            m.put(RSS_FILE, status.get("RssFile") / 1024.0);
            List<ScrapedSample> meters = TextFormatParser.parse(get(URI.create("http://127.0.0.1:" + port
                    + "/q/metrics"))).samples();
            m.put(HEAP_USED, sum(meters, "jvm_memory_used_bytes", "heap") / MIB);
            m.put(HEAP_COMMITTED, sum(meters, "jvm_memory_committed_bytes", "heap") / MIB);
            m.put(NONHEAP_COMMITTED, sum(meters, "jvm_memory_committed_bytes", "nonheap") / MIB);
            m.put(THREADS, sum(meters, "jvm_threads_live_threads", null));

            Lease lease = client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
            assertThat(lease.getSpec().getHolderIdentity()).as("serve leads: " + log).isEqualTo(IDENTITY);
            assertThat(client.configMaps().inNamespace(NAMESPACE).withName(STATE).get()).as("state written: " + log)
                    .isNotNull();
            assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
                    .as("healthy signals start no Job: " + log).isEmpty();
        } finally {
            long stopping = System.nanoTime();
            serve.destroy(); // SIGTERM, as the kubelet sends it
            boolean exited = serve.waitFor(30, TimeUnit.SECONDS);
            m.put(SIGTERM_TO_EXIT, (System.nanoTime() - stopping) / 1e6);
            if (!exited) {
                serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(exited).as("serve exits on SIGTERM within 30 s: " + log).isTrue();
        }
        // Recorded, not asserted: the release races with Quarkus closing the Kubernetes client at shutdown.
        m.put(LEASE_RELEASED, client.leases().inNamespace(NAMESPACE).withName(LEASE).get().getSpec()
                .getHolderIdentity().isEmpty() ? 1.0 : 0.0);

        fromLog(Files.readAllLines(log), wallStart, m, log);
        m.put(FIRST_API, requests.first(start, null, p -> true) / 1e6);
        m.put(LEASE_CREATED, requests.first(start, "POST", p -> p.contains("/leases")) / 1e6);
        List<String> arrivals = new ArrayList<>(List.of("ms_from_start\tmethod\tpath"));
        requests.arrivals.stream().filter(a -> a.nanos() >= start).forEach(a -> arrivals.add(String.format(Locale.ROOT,
                "%.1f\t%s\t%s", (a.nanos() - start) / 1e6, a.method(), a.path())));
        Files.write(Path.of(log.toString().replace(".log", ".requests.tsv")), arrivals);
        return m;
    }

    /** The time line from serve's own log, on the same clock as the process start. */
    private static void fromLog(List<String> lines, Instant wallStart, Map<Metric, Double> m, Path log) {
        List<Double> cycles = new ArrayList<>();
        for (String line : lines) {
            Matcher time = LOG_TIME.matcher(line);
            if (!time.find()) {
                continue;
            }
            double at = Duration.between(wallStart, LocalDateTime.parse(time.group(1), LOG_TIME_FORMAT)
                    .atZone(ZoneId.systemDefault()).toInstant()).toNanos() / 1e6;
            Matcher started = STARTED_IN.matcher(line);
            if (started.find() && !m.containsKey(STARTED_LINE)) {
                double startedIn = Double.parseDouble(started.group(1)) * 1000;
                m.put(STARTED_LINE, at);
                m.put(QUARKUS_STARTED_IN, startedIn);
                m.put(BEFORE_QUARKUS, at - startedIn);
            } else if (line.contains("competing for Lease") && !m.containsKey(COMPETING)) {
                m.put(COMPETING, at);
            } else if (line.contains("leading: this replica") && !m.containsKey(LEADING)) {
                m.put(LEADING, at);
            } else {
                Matcher cycle = CYCLE.matcher(line);
                if (cycle.find()) {
                    assertThat(Integer.parseInt(cycle.group(1))).as("the 5 Neural Hive policies").isEqualTo(5);
                    if (cycles.isEmpty()) {
                        m.put(FIRST_CYCLE_DONE, at);
                    }
                    cycles.add(Double.parseDouble(cycle.group(3)));
                }
            }
        }
        assertThat(m).as("Quarkus started, serve competed, led: " + log).containsKeys(STARTED_LINE, COMPETING,
                LEADING);
        assertThat(cycles).as("several cycles during the idle period: " + log).hasSizeGreaterThanOrEqualTo(3);
        m.put(FIRST_CYCLE, cycles.getFirst());
        m.put(LATER_CYCLE, median(cycles.subList(1, cycles.size())));
        m.put(IDLE_CYCLES, (double) cycles.size());
    }

    /** The Lease, the state, Jobs and Events of earlier runs deleted: every run starts on a clean cluster. */
    private static void resetCluster(KubernetesClient client) {
        client.leases().inNamespace(NAMESPACE).withName(LEASE).delete();
        dev.modelguardian.testing.NeuralHive.deleteState(client);
        client.batch().v1().jobs().inNamespace(NAMESPACE).delete();
        client.events().v1().events().inNamespace(NAMESPACE).delete();
        client.v1().events().inNamespace(NAMESPACE).delete();
    }

    /** HTTP status of a GET, or 0 while nothing listens. */
    private int status(URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return 0;
        } catch (IOException e) {
            return 0; // reset while the server comes up
        }
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + uri).isEqualTo(200);
        return response.body();
    }

    private static double sum(List<ScrapedSample> samples, String name, String area) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> area == null || area.equals(s.labels().get("area")))
                .mapToDouble(ScrapedSample::value).sum();
    }

    // --- /proc -----------------------------------------------------------------------------------------------------

    /** The kB fields of {@code /proc/PID/status} (VmRSS, VmHWM, RssAnon, RssFile, ...). */
    private static Map<String, Long> procStatus(long pid) throws IOException {
        Map<String, Long> fields = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            String[] parts = line.split(":\\s+|\\s+");
            if (line.endsWith(" kB") && parts.length >= 2) {
                fields.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return fields;
    }

    /** utime + stime of a process, in clock ticks; 0 once it is gone. */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            return 0;
        }
    }

    /** CPU ticks of this JVM and its living descendants (prometheus, serve). */
    private static long ourTicks() {
        return Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants())
                .mapToLong(p -> processTicks(p.pid())).sum();
    }

    /** Busy ticks of all CPUs ({@code /proc/stat}: user nice system irq softirq steal). */
    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Share of the whole machine (every core) other processes used since the two readings, in percent. */
    private static double othersPercent(long machineBefore, long oursBefore, long nanos) {
        long others = (machineBusyTicks() - machineBefore) - (ourTicks() - oursBefore);
        return Math.max(0, 100.0 * others / CLK_TCK / (nanos / 1e9 * Runtime.getRuntime().availableProcessors()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // --- output ----------------------------------------------------------------------------------------------------

    private static String summary(Map<Metric, List<Double>> values) {
        StringBuilder md = new StringBuilder();
        md.append("#### `serve` start-up (JVM mode%s)\n\n".formatted(JAVA_OPTS.isEmpty() ? ""
                : ", `" + String.join(" ", JAVA_OPTS) + "`"));
        md.append(("%d runs after %d warm-up run%s; Neural Hive defaults (5 policies, 1 target);"
                + " a full cycle every %s (guardian.remediation.relist-interval, the scheduler's tick, with"
                + " guardian.interval 1s); `/q/health/ready` polled every %d ms. Times from process start.\n\n")
                .formatted(RUNS, WARMUP, WARMUP == 1 ? "" : "s", INTERVAL, POLL.toMillis()));
        table(md, values, TIME_LINE);
        md.append("\n#### `serve` idle, %d s after ready (figures read at the end unless said)\n\n"
                .formatted(IDLE.toSeconds()));
        table(md, values, MEMORY);
        List<Double> released = values.getOrDefault(LEASE_RELEASED, List.of());
        md.append("\nAfter SIGTERM the Lease's holder was empty in %d of %d runs.\n".formatted(
                released.stream().mapToInt(Double::intValue).sum(), released.size()));
        return md.toString();
    }

    private static void table(StringBuilder md, Map<Metric, List<Double>> values, List<Metric> metrics) {
        md.append("| what | median | min | max |\n| --- | ---: | ---: | ---: |\n");
        for (Metric metric : metrics) {
            List<Double> v = values.getOrDefault(metric, List.of());
            if (v.isEmpty()) {
                continue;
            }
            md.append("| %s | %s | %s | %s |\n".formatted(metric.description(), value(median(v), metric),
                    value(v.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), metric),
                    value(v.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), metric)));
        }
    }

    static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static String value(double x, Metric metric) {
        String unit = metric.unit().isEmpty() ? "" : metric.unit().equals("%") ? " %" : " " + metric.unit();
        if (metric.unit().equals("MiB")) {
            return String.format(Locale.ROOT, "%.1f", x) + unit;
        }
        if (metric.unit().isEmpty() || metric.unit().equals("%")) {
            return String.format(Locale.ROOT, "%.0f", x) + unit;
        }
        return ServeCycleBenchmark.fmt(x) + unit;
    }
}
