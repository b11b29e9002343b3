package dev.modelguardian.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) on a free loopback port, scraping one
 * {@link MetricsEndpoint} every second, or serving a recorded history ({@link #withHistory(String)}) backfilled with
 * {@code promtool} from the same package. Tests fail, never skip, when a binary is missing: CI installs it.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final String BINARY = System.getProperty("prometheus.binary", "/usr/bin/prometheus");
    public static final String PROMTOOL = System.getProperty("promtool.binary", "/usr/bin/promtool");
    private static PrometheusServer shared;

    private final Process process;
    private final Path dir;
    private final int port;
    private final MetricsEndpoint endpoint;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();

    /** One server for the whole test JVM, scraping {@link #endpoint()}; stopped when the JVM exits. */
    public static synchronized PrometheusServer shared() {
        if (shared == null) {
            shared = new PrometheusServer(new MetricsEndpoint());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public PrometheusServer(MetricsEndpoint endpoint) {
        this(endpoint, scrapeConfig("model-server", endpoint.hostPort(), "/metrics"), null);
    }

    /**
     * A server that scrapes nothing and holds exactly {@code openMetrics} (OpenMetrics text with timestamps, ending in
     * {@code # EOF}), written into its TSDB by {@code promtool tsdb create-blocks-from openmetrics} before it starts.
     */
    public static PrometheusServer withHistory(String openMetrics) {
        return new PrometheusServer(null, "scrape_configs: []\n", openMetrics);
    }

    /** A server that scrapes {@code http://hostPort metricsPath} every second as job {@code job}. */
    public static PrometheusServer scraping(String job, String hostPort, String metricsPath) {
        return new PrometheusServer(null, scrapeConfig(job, hostPort, metricsPath), null);
    }

    private static String scrapeConfig(String job, String hostPort, String metricsPath) {
        return """
                scrape_configs:
                  - job_name: %s
                    metrics_path: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(job, metricsPath, hostPort);
    }

    private PrometheusServer(MetricsEndpoint endpoint, String scrapeConfigs, String openMetrics) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " not found: install Debian's 'prometheus' package"
                    + " (.ci/run does) or set -Dprometheus.binary");
        }
        this.endpoint = endpoint;
        try {
            dir = Files.createTempDirectory("prometheus-test");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    """ + scrapeConfigs);
            if (openMetrics != null) {
                backfill(openMetrics);
            }
            port = freePort();
            // Retention counts back from the newest block, not the wall clock; a long one keeps any recorded history.
            process = new ProcessBuilder(BINARY, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--storage.tsdb.retention.time=3650d",
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Until it listens, connecting is refused: that is "not ready yet", not a failure.
        await("Prometheus ready on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
                    }
                    return get("/-/ready").statusCode() == 200;
                });
    }

    private void backfill(String openMetrics) throws IOException {
        if (!Files.isExecutable(Path.of(PROMTOOL))) {
            throw new IllegalStateException(PROMTOOL + " not found: it ships in Debian's 'prometheus' package"
                    + " (.ci/run installs it) or set -Dpromtool.binary");
        }
        Path input = Files.writeString(dir.resolve("history.om"), openMetrics);
        Path log = dir.resolve("promtool.log");
        Process promtool = new ProcessBuilder(PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", input.toString(),
                dir.resolve("data").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!promtool.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || promtool.exitValue() != 0) {
                promtool.destroyForcibly();
                throw new IllegalStateException("promtool could not backfill the history: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backfilling", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public MetricsEndpoint endpoint() {
        return endpoint;
    }

    /** The value of an instant query with a single result, or NaN when there is none. */
    public double queryValue(String promql) {
        try {
            HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            JsonNode result = mapper.readTree(r.body()).path("data").path("result");
            return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The response of {@code /api/v1/query_range} for {@code promql} from {@code start} to {@code end} every
     * {@code step}: status, errorType and error as Prometheus gives them, data.result the series.
     */
    public JsonNode queryRange(String promql, java.time.Instant start, java.time.Instant end, Duration step) {
        try {
            return mapper.readTree(get("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                    + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&step="
                    + step.toSeconds()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How many requests Prometheus has answered on {@code handler} (e.g. {@code /api/v1/query}) since it started, by
     * its own {@code prometheus_http_requests_total} on {@code /metrics} (which is not itself a query).
     */
    public long requests(String handler) {
        try {
            String marker = "handler=\"" + handler + "\"";
            return get("/metrics").body().lines()
                    .filter(l -> l.startsWith("prometheus_http_requests_total{") && l.contains(marker))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until Prometheus holds at least {@code samples} scraped samples of {@code selector} in the last minute. */
    public void awaitSamples(String selector, int samples) {
        await("at least " + samples + " samples of " + selector).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    double n = queryValue("count_over_time(" + selector + "[1m])");
                    return !Double.isNaN(n) && n >= samples;
                });
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        if (endpoint != null) {
            endpoint.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }

    /** A loopback port nothing listens on, for "Prometheus down". */
    public static int closedPort() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
