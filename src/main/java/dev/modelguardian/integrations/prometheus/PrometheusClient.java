package dev.modelguardian.integrations.prometheus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

import dev.modelguardian.core.signal.Series;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.integrations.http.Tls;

/**
 * Instant and range queries against the Prometheus HTTP API, with the API's {@code status}, {@code error} and
 * {@code warnings} fields respected. Thread-safe.
 */
public final class PrometheusClient {

    private static final Logger LOG = Logger.getLogger(PrometheusClient.class);

    private final PrometheusApi api;
    private final String authorization;
    private final String timeoutParam;
    private final ObjectMapper mapper;

    public PrometheusClient(PrometheusSettings config, ObjectMapper mapper) {
        this(URI.create(config.url().orElseThrow(() -> new IllegalStateException(
                "guardian.prometheus.url is not set"))), config, mapper);
    }

    /** The Prometheus at {@code url}, with the credentials, TLS and timeout of {@code config} (its URL aside). */
    public PrometheusClient(URI url, PrometheusSettings config, ObjectMapper mapper) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(url)
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true);
        this.api = Tls.verified(builder, config.caFile()).build(PrometheusApi.class);
        this.authorization = config.bearerToken().map(t -> "Bearer " + t)
                .or(() -> config.username().map(u -> "Basic " + Base64.getEncoder().encodeToString(
                        (u + ":" + config.password().orElse("")).getBytes(StandardCharsets.UTF_8))))
                .orElse(null);
        this.timeoutParam = Math.max(1, config.timeout().toSeconds()) + "s";
        this.mapper = mapper;
    }

    /** Values of every series an instant query returns at {@code at} (a scalar result is one value). */
    public double[] query(String promql, Instant at) throws SourceException {
        JsonNode data = instant(promql, at);
        JsonNode result = data.path("result");
        if (!isVector(data)) {
            return new double[] { sampleValue(result) };
        }
        double[] values = new double[result.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = sampleValue(result.get(i).path("value"));
        }
        return values;
    }

    /**
     * Every series an instant query returns at {@code at}, with its labels and its one value (a scalar result is one
     * series without labels).
     */
    public List<Series> querySeries(String promql, Instant at) throws SourceException {
        JsonNode data = instant(promql, at);
        JsonNode result = data.path("result");
        long millis = at.toEpochMilli();
        if (!isVector(data)) {
            return List.of(new Series(Map.of(), List.of(new Series.Point(millis, sampleValue(result)))));
        }
        List<Series> out = new ArrayList<>(result.size());
        for (JsonNode series : result) {
            out.add(new Series(labels(series), List.of(new Series.Point(millis, sampleValue(series.path("value"))))));
        }
        return out;
    }

    /** A result series' labels, as its {@code metric} object gives them. */
    private static Map<String, String> labels(JsonNode series) {
        Map<String, String> labels = new LinkedHashMap<>();
        series.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** The {@code data} of an instant query: a vector or a scalar, any other result type refused. */
    private JsonNode instant(String promql, Instant at) throws SourceException {
        JsonNode data = call(() -> api.query(promql, seconds(at), timeoutParam, authorization));
        String type = data.path("resultType").asText();
        if (!type.equals("vector") && !type.equals("scalar")) {
            throw new SourceException("query returned a " + (type.isEmpty() ? "missing" : type)
                    + " result; the query must return an instant vector or a scalar");
        }
        return data;
    }

    private static boolean isVector(JsonNode data) {
        return data.path("resultType").asText().equals("vector");
    }

    /** Series of a range query, each with its points oldest first. */
    public List<Series> queryRange(String promql, Instant start, Instant end, Duration step) throws SourceException {
        String stepParam = step.toMillis() % 1000 == 0 ? step.toSeconds() + "s" : step.toMillis() + "ms";
        JsonNode data = call(() -> api.queryRange(promql, seconds(start), seconds(end), stepParam, timeoutParam,
                authorization));
        String type = data.path("resultType").asText();
        if (!type.equals("matrix")) {
            throw new SourceException("range query returned a " + type + " result instead of a matrix");
        }
        List<Series> out = new ArrayList<>();
        for (JsonNode series : data.path("result")) {
            List<Series.Point> points = new ArrayList<>();
            for (JsonNode p : series.path("values")) {
                points.add(new Series.Point(Math.round(p.get(0).asDouble() * 1000), parseValue(p.get(1).asText())));
            }
            out.add(new Series(labels(series), points));
        }
        return out;
    }

    @FunctionalInterface
    private interface Call {
        Response get();
    }

    private JsonNode call(Call call) throws SourceException {
        String body;
        int status;
        try (Response response = call.get()) {
            status = response.getStatus();
            body = response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (ProcessingException e) {
            throw new SourceException("Prometheus unreachable: " + rootMessage(e), e);
        } catch (RuntimeException e) {
            throw new SourceException("Prometheus call failed: " + rootMessage(e), e);
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (Exception e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new SourceException("Prometheus answered HTTP " + status + " with a non-JSON body"
                    + (status == 200 ? "; is guardian.prometheus.url the Prometheus API root?" : ""),
                    QueryRefused.of(status));
        }
        if (!"success".equals(json.path("status").asText())) {
            throw new SourceException("Prometheus answered HTTP " + status + " " + json.path("errorType").asText("error")
                    + ": " + json.path("error").asText("(no message)"), QueryRefused.of(status));
        }
        for (JsonNode warning : json.path("warnings")) {
            LOG.warnf("Prometheus warned about a query: %s", warning.asText());
        }
        return json.path("data");
    }

    /**
     * The cause of a {@link SourceException} when Prometheus (or a proxy before it) refused the query itself with a
     * 4xx answer (a bad query, too many samples, a URL too long, no access), as opposed to not answering, answering
     * late or failing as a server (5xx, 408, 429): the query is the trouble, not the server.
     */
    static final class QueryRefused extends Exception {

        private QueryRefused(int status) {
            super("HTTP " + status, null, false, false);
        }

        /** The cause for an answer with {@code status}: a {@code QueryRefused} for a 4xx other than 408 and 429. */
        static QueryRefused of(int status) {
            return status >= 400 && status < 500 && status != 408 && status != 429 ? new QueryRefused(status) : null;
        }

        /** Whether {@code e} is Prometheus refusing the query itself. */
        static boolean refused(SourceException e) {
            return e.getCause() instanceof QueryRefused;
        }
    }

    private static double sampleValue(JsonNode pair) throws SourceException {
        if (!pair.isArray() || pair.size() != 2) {
            throw new SourceException("malformed sample in Prometheus response: " + pair);
        }
        return parseValue(pair.get(1).asText());
    }

    /** Prometheus writes sample values as strings, including {@code NaN}, {@code +Inf} and {@code -Inf}. */
    static double parseValue(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String seconds(Instant at) {
        long ms = at.toEpochMilli();
        return (ms / 1000) + "." + String.format("%03d", ms % 1000);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
