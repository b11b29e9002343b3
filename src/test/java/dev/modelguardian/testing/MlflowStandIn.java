package dev.modelguardian.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An MLflow 2.10 tracking server stand-in: WireMock on a random loopback port, answering the registry, run and
 * experiment calls from a small in-memory model in exactly the shape the real server writes (see
 * {@code shared/reference/mlflow-rest-2.10.md}; {@code MlflowStandInTest} replays those recordings against it byte
 * for byte). Stateful: a promotion through the REST API changes what later reads answer.
 *
 * <p>Plain JUnit: {@code MlflowStandIn mlflow = MlflowStandIn.startNew(); ... mlflow.stop();}. Quarkus:
 * {@code @QuarkusTestResource(value = MlflowStandIn.class, restrictToAnnotatedClass = true)} sets
 * {@code guardian.mlflow.url} and injects the running stand-in into a field annotated {@link InjectMlflow}.
 *
 * <p>What it knows: experiments, runs (metrics with history, params, tags), registered models, versions (stage,
 * status, tags), aliases. Faults: {@link #failNext(int, int)}, {@link #failWith(int)}, {@link #hang(int)}. What was
 * called: {@link #requests()} and {@link #requests(String, String)} (WireMock's request journal).
 */
public final class MlflowStandIn implements QuarkusTestResourceLifecycleManager {

    /** Marks the field of a {@code @QuarkusTest} class that receives the running stand-in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectMlflow {
    }

    public static final String API = "/api/2.0/mlflow";
    private static final String TRANSFORMER = "mlflow-stand-in";
    private static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HTML_405 = """
            <!doctype html>
            <html lang=en>
            <title>405 Method Not Allowed</title>
            <h1>Method Not Allowed</h1>
            <p>The method is not allowed for the requested URL.</p>
            """;

    private WireMockServer server;
    private final Object lock = new Object();

    // ---- state (guarded by lock) ----
    private final Map<String, Experiment> experiments = new LinkedHashMap<>();
    private final Map<String, RunState> runs = new LinkedHashMap<>();
    private final Map<String, ModelState> models = new LinkedHashMap<>();
    private Long fixedNow;
    private int failNextCount;
    private int failNextStatus;
    private int failAlwaysStatus;
    private int hangMillis;
    /** The only endpoint {@link #hangMillis} applies to, or null for every endpoint. */
    private String hangEndpoint;

    // ---- life cycle ---------------------------------------------------------------------------------------------

    /** A new stand-in, running; for plain JUnit tests. */
    public static MlflowStandIn startNew() {
        MlflowStandIn standIn = new MlflowStandIn();
        standIn.startServer(options().bindAddress("127.0.0.1").dynamicPort());
        return standIn;
    }

    /** A new stand-in serving https only, with the given key store (PKCS12 or JKS) as its server certificate. */
    public static MlflowStandIn startNewHttps(String keyStorePath, String password) {
        MlflowStandIn standIn = new MlflowStandIn();
        standIn.startServer(options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                .keystorePath(keyStorePath).keystorePassword(password).keyManagerPassword(password)
                .keystoreType(keyStorePath.endsWith(".jks") ? "JKS" : "PKCS12"));
        return standIn;
    }

    private void startServer(WireMockConfiguration config) {
        server = new WireMockServer(config.extensions(new Transformer()));
        server.start();
        server.stubFor(any(urlPathMatching("/.*")).atPriority(10)
                .willReturn(aResponse().withTransformers(TRANSFORMER)));
    }

    /** Quarkus test resource: starts the stand-in and points {@code guardian.mlflow.url} at it. */
    @Override
    public Map<String, String> start() {
        startServer(options().bindAddress("127.0.0.1").dynamicPort());
        return Map.of("guardian.mlflow.url", url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectMlflow.class,
                MlflowStandIn.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}: what {@code guardian.mlflow.url} is set to. */
    public String url() {
        return server.getOptions().getHttpDisabled() ? "https://127.0.0.1:" + server.httpsPort()
                : "http://127.0.0.1:" + server.port();
    }

    /** WireMock itself, for stubs and verifications beyond this class' API. */
    public WireMockServer wireMock() {
        return server;
    }

    /** Forgets every experiment, run, model, fault and recorded request. */
    public void reset() {
        synchronized (lock) {
            experiments.clear();
            runs.clear();
            models.clear();
            fixedNow = null;
            heal();
        }
        server.resetRequests();
        server.resetToDefaultMappings();
        server.stubFor(any(urlPathMatching("/.*")).atPriority(10)
                .willReturn(aResponse().withTransformers(TRANSFORMER)));
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    /** The next {@code count} calls answer {@code status} (a proxy's plain-text page), then calls are served again. */
    public void failNext(int count, int status) {
        synchronized (lock) {
            failNextCount = count;
            failNextStatus = status;
        }
    }

    /** Every call answers {@code status} until {@link #heal()}. */
    public void failWith(int status) {
        synchronized (lock) {
            failAlwaysStatus = status;
        }
    }

    /** Every call is answered only after a minute (far beyond any test's timeout) until {@link #heal()}. */
    public void hang() {
        hang(60_000);
    }

    /** Every call is answered only after {@code millis} (longer than the client's timeout: a hung server). */
    public void hang(int millis) {
        synchronized (lock) {
            hangMillis = millis;
            hangEndpoint = null;
        }
    }

    /**
     * Calls to {@code /api/2.0/mlflow/<endpoint>} (e.g. {@code model-versions/transition-stage}) are served, and
     * their answer comes only after {@code millis}: a change that happened and whose answer was lost.
     */
    public void hang(String endpoint, int millis) {
        synchronized (lock) {
            hangMillis = millis;
            hangEndpoint = API + "/" + endpoint;
        }
    }

    /** Ends {@link #failNext}, {@link #failWith} and {@link #hang}. */
    public void heal() {
        synchronized (lock) {
            failNextCount = 0;
            failAlwaysStatus = 0;
            hangMillis = 0;
            hangEndpoint = null;
        }
    }

    /** Fixes the server's clock (last_updated_timestamp of transitions); {@code null} for the real clock. */
    public void now(Long epochMillis) {
        synchronized (lock) {
            fixedNow = epochMillis;
        }
    }

    // ---- the request journal ------------------------------------------------------------------------------------

    /** One request as the stand-in received it. */
    public record Call(String method, String path, Map<String, List<String>> query, String body,
            Map<String, String> headers) {

        /** A query parameter's first value, or null. */
        public String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The body as JSON (empty object when there is none). */
        public JsonNode json() {
            try {
                return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A header, case-insensitively, or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    /** Every request received since start or {@link #reset()}, oldest first. */
    public List<Call> requests() {
        // WireMock lists the newest first; millisecond timestamps would not order requests made in the same ms.
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events);
        return events.stream().map(e -> toCall(e.getRequest())).toList();
    }

    /** Requests with this method to {@code /api/2.0/mlflow/<endpoint>}, e.g. {@code ("POST",
     * "model-versions/transition-stage")}. */
    public List<Call> requests(String method, String endpoint) {
        String path = API + "/" + endpoint;
        return requests().stream().filter(c -> c.method().equals(method) && c.path().equals(path)).toList();
    }

    private static Call toCall(LoggedRequest r) {
        String url = r.getUrl();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        Map<String, List<String>> query = new LinkedHashMap<>();
        r.getQueryParams().forEach((k, v) -> query.put(k, List.copyOf(v.values())));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.getHeaders().all().forEach(h -> headers.put(h.key(), h.firstValue()));
        return new Call(r.getMethod().getName(), path, query, r.getBodyAsString(), headers);
    }

    // ---- the model: a high-level API for tests ------------------------------------------------------------------

    /** The registered model {@code name}, created (now, experiment {@code 1}) when it does not exist. */
    public Model model(String name) {
        synchronized (lock) {
            models.computeIfAbsent(name, n -> new ModelState(n, now(), "", new LinkedHashMap<>()));
            experiments.computeIfAbsent("orchestrator-predictive-models",
                    n -> new Experiment("1", n, now(), new LinkedHashMap<>()));
        }
        return new Model(name);
    }

    /**
     * Registers {@code version} of {@code model} from a new FINISHED run {@code runId} (null: one is made up) of
     * {@code experimentId} with {@code metrics} logged at step 0, in stage None with {@code status}
     * ({@code READY}, {@code PENDING_REGISTRATION}, {@code FAILED_REGISTRATION}).
     */
    public void registerVersion(String model, String version, Instant createdAt, String runId, String experimentId,
            Map<String, Double> metrics, String status) {
        synchronized (lock) {
            model(model);
            experiments.values().stream().filter(e -> e.id.equals(experimentId)).findFirst().orElseGet(() -> {
                Experiment e = new Experiment(experimentId, "experiment-" + experimentId, now(),
                        new LinkedHashMap<>());
                experiments.put(e.name, e);
                return e;
            });
            String id = runId != null ? runId : UUID.nameUUIDFromBytes((model + "/" + version)
                    .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
            long created = createdAt.toEpochMilli();
            Run run = run(id, experimentId, model + "-v" + version, "FINISHED", created - 60_000, created - 1_000,
                    Map.of());
            metrics.forEach((k, v) -> run.metric(k, v, created - 1_000, 0));
            models.get(model).versions.put(version, new VersionState(version, created, "", "runs:/" + id + "/model",
                    id, status, new LinkedHashMap<>()));
        }
    }

    /** A handle on one registered model of the stand-in. */
    public final class Model {
        private final String name;

        private Model(String name) {
            this.name = name;
        }

        /** A READY version from a new run with {@code metrics}, created now, in stage None. */
        public Model version(String version, Map<String, Double> metrics) {
            return version(version, Instant.ofEpochMilli(now()), metrics);
        }

        /** A READY version from a new run with {@code metrics}, created at {@code created}, in stage None. */
        public Model version(String version, Instant created, Map<String, Double> metrics) {
            registerVersion(name, version, created, null, "1", metrics, "READY");
            return this;
        }

        /** A READY version from a new run with {@code metrics}, in stage Production. */
        public Model productionVersion(String version, Map<String, Double> metrics) {
            return version(version, metrics).stage(version, "Production");
        }

        /** A version with full control of what {@code model-versions/get} shows (for replaying recordings). */
        public Model version(String version, long created, String description, String source, String runId,
                String status, Map<String, String> tags) {
            synchronized (lock) {
                state().versions.put(version, new VersionState(version, created, description, source, runId, status,
                        new LinkedHashMap<>(tags)));
            }
            return this;
        }

        /** Puts a version into a stage (archiving nothing), as a training script may do. */
        public Model stage(String version, String stage) {
            synchronized (lock) {
                state().version(version).stage = stage;
            }
            return this;
        }

        /** Sets a version's registration status. */
        public Model status(String version, String status) {
            synchronized (lock) {
                state().version(version).status = status;
            }
            return this;
        }

        /** Points {@code alias} at {@code version}. */
        public Model alias(String alias, String version) {
            synchronized (lock) {
                state().aliases.put(alias, version);
            }
            return this;
        }

        /** Sets description, creation time and tags of the registered model itself. */
        public Model details(long created, String description, Map<String, String> tags) {
            synchronized (lock) {
                ModelState m = state();
                m.created = created;
                m.lastUpdated = created;
                m.description = description;
                m.tags.clear();
                m.tags.putAll(tags);
            }
            return this;
        }

        /** The stage a version is in now. */
        public String stageOf(String version) {
            synchronized (lock) {
                return state().version(version).stage;
            }
        }

        /** The version {@code alias} points to now. */
        public Optional<String> aliasTarget(String alias) {
            synchronized (lock) {
                return Optional.ofNullable(state().aliases.get(alias));
            }
        }

        /** The run id of a version. */
        public String runOf(String version) {
            synchronized (lock) {
                return state().version(version).runId;
            }
        }

        private ModelState state() {
            return models.get(name);
        }
    }

    /** An experiment with full control of what get-by-name shows. */
    public void experiment(String name, String id, long created, Map<String, String> tags) {
        synchronized (lock) {
            experiments.put(name, new Experiment(id, name, created, new LinkedHashMap<>(tags)));
        }
    }

    /**
     * A run with full control of what {@code runs/get} shows; {@code tags} come first, then {@code mlflow.runName}
     * as MLflow adds it. {@code end} null while the run has not ended.
     */
    public Run run(String runId, String experimentId, String runName, String status, long start, Long end,
            Map<String, String> tags) {
        synchronized (lock) {
            RunState run = new RunState(runId, experimentId, runName, status, start, end);
            run.tags.putAll(tags);
            run.tags.put("mlflow.runName", runName);
            runs.put(runId, run);
            return new Run(runId);
        }
    }

    /** A handle on one run of the stand-in. */
    public final class Run {
        private final String id;

        private Run(String id) {
            this.id = id;
        }

        public Run metric(String key, double value, long timestamp, long step) {
            synchronized (lock) {
                runs.get(id).metrics.add(new MetricPoint(key, value, timestamp, step));
            }
            return this;
        }

        public Run param(String key, String value) {
            synchronized (lock) {
                runs.get(id).params.put(key, value);
            }
            return this;
        }
    }

    // ---- the recorded state ----------------------------------------------------------------------------------------

    /** The model of the reference recording. */
    public static final String RECORDED_MODEL = "ticket-duration-predictor";
    /** Run 1 of the recording (gbm-baseline, FINISHED, mae 12.7 after 14.2, precision 0.81), version 1. */
    public static final String RUN_1 = "726f543a577b453e866a2f57ef23653f";
    /** Run 2 of the recording (gbm-tuned, still RUNNING, mae 9.8, precision 0.87), version 2. */
    public static final String RUN_2 = "6775ff5276a141088d345c931bb6fa14";

    /**
     * The state of the reference recording once both runs logged their metrics and versions 1 and 2 were registered
     * (both in stage None, no alias): what its "Get model version 1" section shows.
     */
    public MlflowStandIn seedRecording() {
        experiment("orchestrator-predictive-models", "1", 1795547775512L, Map.of("team", "orchestrator"));
        run(RUN_1, "1", "gbm-baseline", "FINISHED", 1795547775003L, 1795547778003L, Map.of("model_type", "gbm"))
                .metric("mae", 14.2, 1795547776003L, 0).metric("mae", 12.7, 1795547777003L, 1)
                .metric("precision", 0.81, 1795547777003L, 1).param("learning_rate", "0.1");
        run(RUN_2, "1", "gbm-tuned", "RUNNING", 1795547780003L, null, Map.of())
                .metric("mae", 9.8, 1795547781003L, 0).metric("precision", 0.87, 1795547781003L, 0);
        model(RECORDED_MODEL).details(1795547777708L, "Predicts ticket duration", Map.of("owner", "orchestrator"))
                .version("1", 1795547778070L, "baseline", "/mlflow/artifacts/1/" + RUN_1 + "/artifacts/model", RUN_1,
                        "READY", Map.of("mae", "12.7"))
                .version("2", 1795547778189L, "tuned", "runs:/" + RUN_2 + "/model", RUN_2, "READY", Map.of());
        return this;
    }

    // ---- serving recorded answers -------------------------------------------------------------------------------

    /** A recorded answer of {@code src/test/resources/mlflow/<name>.http}: status, headers and the exact body. */
    public record Recorded(int status, Map<String, String> headers, String body) {
    }

    /** Reads a recording; the file's first two lines name its section and request, then comes the HTTP answer. */
    public static Recorded recorded(String name) {
        try (InputStream in = MlflowStandIn.class.getResourceAsStream("/mlflow/" + name + ".http")) {
            if (in == null) {
                throw new IllegalArgumentException("no recording mlflow/" + name + ".http");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            while (text.startsWith("#")) {
                text = text.substring(text.indexOf('\n') + 1);
            }
            int split = text.indexOf("\n\n");
            String[] head = text.substring(0, split).split("\n");
            int status = Integer.parseInt(head[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon), head[i].substring(colon + 1).strip());
            }
            return new Recorded(status, headers, text.substring(split + 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Answers requests with {@code method} to {@code /api/2.0/mlflow/<endpoint>} with the recording {@code name},
     * ahead of the stateful model; {@code query} narrows it to requests with those query parameters.
     */
    public void serveRecorded(String method, String endpoint, Map<String, String> query, String name) {
        Recorded r = recorded(name);
        var mapping = com.github.tomakehurst.wiremock.client.WireMock.request(method,
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(API + "/" + endpoint)).atPriority(1);
        query.forEach((k, v) -> mapping.withQueryParam(k, com.github.tomakehurst.wiremock.client.WireMock.equalTo(v)));
        ResponseDefinitionBuilder response = aResponse().withStatus(r.status()).withBody(r.body());
        r.headers().forEach(response::withHeader);
        server.stubFor(mapping.willReturn(response));
    }

    // ---- the server side ----------------------------------------------------------------------------------------

    private long now() {
        return fixedNow != null ? fixedNow : System.currentTimeMillis();
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return TRANSFORMER;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            LoggedRequest request = event.getRequest();
            Answer answer;
            int delay;
            synchronized (lock) {
                delay = hangEndpoint == null || hangEndpoint.equals(request.getUrl().split("\\?")[0]) ? hangMillis
                        : 0;
                if (failAlwaysStatus > 0) {
                    answer = proxyError(failAlwaysStatus);
                } else if (failNextCount > 0) {
                    failNextCount--;
                    answer = proxyError(failNextStatus);
                } else {
                    answer = serve(toCall(request));
                }
            }
            ResponseDefinitionBuilder builder = aResponse().withStatus(answer.status)
                    .withHeader("Server", "gunicorn").withHeader("Content-Type", answer.contentType)
                    .withBody(answer.body);
            if (delay > 0) {
                builder.withFixedDelay(delay);
            }
            return builder.build();
        }
    }

    private record Answer(int status, String contentType, String body) {
    }

    private static Answer ok(Object json) {
        return new Answer(200, "application/json", PyJson.write(json));
    }

    private static Answer error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        return new Answer(status, "application/json", PyJson.write(body));
    }

    private static Answer proxyError(int status) {
        return new Answer(status, "text/plain", status + " stand-in failure\n");
    }

    private static final String MISSING = "Missing value for required parameter '%s'. See the API docs for more"
            + " information about request parameters.";

    /** GET endpoints and POST/DELETE endpoints; any other method on them is a 405 HTML page, as in Flask. */
    private static final Map<String, List<String>> METHODS = Map.ofEntries(
            Map.entry("experiments/get-by-name", List.of("GET")),
            Map.entry("registered-models/get", List.of("GET")),
            Map.entry("registered-models/search", List.of("GET")),
            Map.entry("registered-models/get-latest-versions", List.of("GET", "POST")),
            Map.entry("model-versions/search", List.of("GET")),
            Map.entry("model-versions/get", List.of("GET")),
            Map.entry("model-versions/transition-stage", List.of("POST")),
            Map.entry("registered-models/alias", List.of("GET", "POST", "DELETE")),
            Map.entry("runs/get", List.of("GET")),
            Map.entry("metrics/get-history", List.of("GET")),
            Map.entry("experiments/create", List.of("POST")));

    private Answer serve(Call call) {
        if (!call.path().startsWith(API + "/")) {
            return new Answer(404, "text/html; charset=utf-8", "<!doctype html>\n<html lang=en>\n<title>404 Not"
                    + " Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n");
        }
        String endpoint = call.path().substring(API.length() + 1);
        List<String> allowed = METHODS.get(endpoint);
        if (allowed == null) {
            return new Answer(404, "text/html; charset=utf-8", "<!doctype html>\n<html lang=en>\n<title>404 Not"
                    + " Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n");
        }
        if (!allowed.contains(call.method())) {
            return new Answer(405, "text/html; charset=utf-8", HTML_405);
        }
        Params p;
        if (call.method().equals("GET")) {
            p = new Params(call.query(), null);
        } else {
            String type = call.header("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return error(400, "INVALID_PARAMETER_VALUE",
                        "Bad Request. Content-Type must be one of ['application/json'].");
            }
            p = new Params(Map.of(), call.json());
        }
        return switch (call.method() + " " + endpoint) {
            case "GET experiments/get-by-name" -> getExperiment(p);
            case "GET registered-models/get" -> getRegisteredModel(p);
            case "GET registered-models/search" -> searchRegisteredModels(p);
            case "GET registered-models/get-latest-versions", "POST registered-models/get-latest-versions" ->
                    latestVersions(p);
            case "GET model-versions/search" -> search(p);
            case "GET model-versions/get" -> getVersion(p);
            case "POST model-versions/transition-stage" -> transition(p);
            case "GET registered-models/alias" -> getByAlias(p);
            case "POST registered-models/alias" -> setAlias(p);
            case "DELETE registered-models/alias" -> deleteAlias(p);
            case "GET runs/get" -> getRun(p);
            case "GET metrics/get-history" -> metricHistory(p);
            case "POST experiments/create" -> error(400, "INVALID_PARAMETER_VALUE",
                    "stand-in: creating experiments is not implemented; use MlflowStandIn.experiment(...)");
            default -> new Answer(405, "text/html; charset=utf-8", HTML_405);
        };
    }

    /** Parameters from the query string (GET) or the JSON body (POST, DELETE), never both, as in MLflow. */
    private record Params(Map<String, List<String>> query, JsonNode body) {
        String get(String name) {
            if (body != null) {
                JsonNode v = body.get(name);
                return v == null || v.isNull() ? null : v.asText();
            }
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        List<String> list(String name) {
            if (body != null) {
                List<String> out = new ArrayList<>();
                JsonNode v = body.get(name);
                if (v != null) {
                    v.forEach(x -> out.add(x.asText()));
                }
                return out;
            }
            return query.getOrDefault(name, List.of());
        }

        boolean flag(String name) {
            return body != null ? body.path(name).asBoolean(false) : Boolean.parseBoolean(get(name));
        }
    }

    private Answer getExperiment(Params p) {
        String name = p.get("experiment_name");
        if (name == null) {
            return error(400, "INVALID_PARAMETER_VALUE", MISSING.formatted("experiment_name"));
        }
        Experiment e = experiments.get(name);
        if (e == null) {
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Could not find experiment with name '" + name + "'");
        }
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("experiment_id", e.id);
        x.put("name", e.name);
        x.put("artifact_location", "/mlflow/artifacts/" + e.id);
        x.put("lifecycle_stage", "active");
        x.put("last_update_time", e.created);
        x.put("creation_time", e.created);
        if (!e.tags.isEmpty()) {
            x.put("tags", keyValues(e.tags));
        }
        return ok(Map.of("experiment", x));
    }

    private Answer getRegisteredModel(Params p) {
        String name = p.get("name");
        ModelState m = models.get(name);
        if (m == null) {
            return modelMissing(name);
        }
        return ok(Map.of("registered_model", registeredModel(m)));
    }

    /**
     * {@code registered-models/search} without a filter, by name, paged like {@link #search}. Not among the recorded
     * answers: the shape is the MLflow REST reference's ({@code registered_models}, {@code next_page_token}, an empty
     * result is {@code {}}), each model written as {@code registered-models/get} writes it.
     */
    private Answer searchRegisteredModels(Params p) {
        if (p.get("filter") != null && !p.get("filter").isBlank()) {
            return error(400, "INVALID_PARAMETER_VALUE", "stand-in: registered-models/search supports no filter");
        }
        List<ModelState> all = models.values().stream().sorted(Comparator.comparing(m -> m.name)).toList();
        int offset = 0;
        String token = p.get("page_token");
        if (token != null && !token.isEmpty()) {
            try {
                offset = JSON.readTree(Base64.getDecoder().decode(token)).path("offset").asInt();
            } catch (IOException | IllegalArgumentException e) {
                return error(400, "INVALID_PARAMETER_VALUE", "Invalid page token, could not base64-decode");
            }
        }
        int max = p.get("max_results") == null ? 100 : Integer.parseInt(p.get("max_results"));
        if (max > 1000) {
            return error(400, "INVALID_PARAMETER_VALUE", "Invalid value for request parameter max_results. It must"
                    + " be at most 1000, but got value " + max);
        }
        int end = Math.min(all.size(), offset + max);
        Map<String, Object> x = new LinkedHashMap<>();
        List<Object> page = all.subList(Math.min(offset, end), end).stream().<Object>map(this::registeredModel)
                .toList();
        if (!page.isEmpty()) {
            x.put("registered_models", page);
        }
        if (end < all.size()) {
            x.put("next_page_token", Base64.getEncoder().encodeToString(("{\"offset\": " + end + "}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return ok(x);
    }

    private Map<String, Object> registeredModel(ModelState m) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", m.name);
        x.put("creation_timestamp", m.created);
        x.put("last_updated_timestamp", m.lastUpdated);
        x.put("description", m.description);
        List<Object> latest = latest(m, List.of()).stream().<Object>map(v -> version(m, v, false)).toList();
        if (!latest.isEmpty()) {
            x.put("latest_versions", latest);
        }
        if (!m.tags.isEmpty()) {
            x.put("tags", keyValues(m.tags));
        }
        if (!m.aliases.isEmpty()) {
            List<Object> aliases = new ArrayList<>();
            m.aliases.forEach((alias, version) -> {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("alias", alias);
                a.put("version", version);
                aliases.add(a);
            });
            x.put("aliases", aliases);
        }
        return x;
    }

    private Answer latestVersions(Params p) {
        String name = p.get("name");
        ModelState m = models.get(name);
        if (m == null) {
            return modelMissing(name);
        }
        List<String> stages = new ArrayList<>();
        for (String s : p.list("stages")) {
            String canonical = canonicalStage(s);
            if (canonical == null) {
                return error(400, "INVALID_PARAMETER_VALUE", "Invalid Model Version stage: " + s
                        + ". Value must be one of None, Staging, Production, Archived.");
            }
            stages.add(canonical);
        }
        return versions(latest(m, stages).stream().<Object>map(v -> version(m, v, false)).toList(), null);
    }

    /** The highest version in each stage (only {@code stages} when given), by version number. */
    private static List<VersionState> latest(ModelState m, List<String> stages) {
        Map<String, VersionState> byStage = new LinkedHashMap<>();
        m.sorted().forEach(v -> {
            if (stages.isEmpty() || stages.contains(v.stage)) {
                byStage.put(v.stage, v);
            }
        });
        return byStage.values().stream().sorted(Comparator.comparingLong(v -> Long.parseLong(v.version))).toList();
    }

    private static final Pattern FILTER = Pattern.compile("\\s*(name|run_id)\\s*=\\s*(['\"])(.*)\\2\\s*");

    private Answer search(Params p) {
        String filter = p.get("filter");
        List<VersionState> found = new ArrayList<>();
        Map<VersionState, ModelState> owner = new HashMap<>();
        Matcher f = filter == null ? null : FILTER.matcher(filter);
        if (f != null && !f.matches()) {
            return error(400, "INVALID_PARAMETER_VALUE", "stand-in: unsupported filter " + filter);
        }
        for (ModelState m : models.values()) {
            for (VersionState v : m.versions.values()) {
                boolean match = f == null || (f.group(1).equals("name") ? m.name.equals(f.group(3))
                        : f.group(3).equals(v.runId));
                if (match) {
                    found.add(v);
                    owner.put(v, m);
                }
            }
        }
        List<String> orderBy = p.list("order_by");
        Comparator<VersionState> order = null;
        for (String clause : orderBy.isEmpty() ? List.of("last_updated_timestamp DESC") : orderBy) {
            String[] parts = clause.trim().split("\\s+");
            Comparator<VersionState> c = switch (parts[0]) {
                case "version_number" -> Comparator.comparingLong(v -> Long.parseLong(v.version));
                case "creation_timestamp" -> Comparator.comparingLong(v -> v.created);
                case "last_updated_timestamp" -> Comparator.comparingLong(v -> v.lastUpdated);
                case "name" -> Comparator.comparing(v -> owner.get(v).name);
                default -> null;
            };
            if (c == null) {
                return error(400, "INVALID_PARAMETER_VALUE", "stand-in: unsupported order_by " + clause);
            }
            if (parts.length > 1 && parts[1].equalsIgnoreCase("DESC")) {
                c = c.reversed();
            }
            order = order == null ? c : order.thenComparing(c);
        }
        order = order.thenComparing(v -> owner.get(v).name)
                .thenComparing(Comparator.comparingLong((VersionState v) -> Long.parseLong(v.version)).reversed());
        found.sort(order);
        int offset = 0;
        String token = p.get("page_token");
        if (token != null && !token.isEmpty()) {
            try {
                offset = JSON.readTree(Base64.getDecoder().decode(token)).path("offset").asInt();
            } catch (IOException | IllegalArgumentException e) {
                return error(400, "INVALID_PARAMETER_VALUE", "Invalid page token, could not base64-decode");
            }
        }
        int max = p.get("max_results") == null ? 10_000 : Integer.parseInt(p.get("max_results"));
        int end = Math.min(found.size(), offset + max);
        List<Object> page = found.subList(Math.min(offset, end), end).stream()
                .<Object>map(v -> version(owner.get(v), v, false)).toList();
        String next = end < found.size() ? Base64.getEncoder().encodeToString(("{\"offset\": " + end + "}")
                .getBytes(StandardCharsets.UTF_8)) : null;
        return versions(page, next);
    }

    private static Answer versions(List<Object> versions, String nextPageToken) {
        Map<String, Object> x = new LinkedHashMap<>();
        if (!versions.isEmpty()) {
            x.put("model_versions", versions);
        }
        if (nextPageToken != null) {
            x.put("next_page_token", nextPageToken);
        }
        return ok(x);
    }

    private Answer getVersion(Params p) {
        return withVersion(p, (m, v) -> ok(Map.of("model_version", version(m, v, true))));
    }

    private Answer transition(Params p) {
        String stage = canonicalStage(p.get("stage") == null ? "" : p.get("stage"));
        if (stage == null) {
            return error(400, "INVALID_PARAMETER_VALUE", "Invalid Model Version stage: " + p.get("stage")
                    + ". Value must be one of None, Staging, Production, Archived.");
        }
        boolean archive = p.flag("archive_existing_versions");
        return withVersion(p, (m, v) -> {
            long now = now();
            if (archive && (stage.equals("Production") || stage.equals("Staging"))) {
                for (VersionState other : m.versions.values()) {
                    if (other != v && other.stage.equals(stage)) {
                        other.stage = "Archived";
                        other.lastUpdated = now;
                    }
                }
            }
            v.stage = stage;
            v.lastUpdated = now;
            m.lastUpdated = now;
            return ok(Map.of("model_version", version(m, v, true)));
        });
    }

    private Answer getByAlias(Params p) {
        String name = p.get("name");
        String alias = p.get("alias");
        ModelState m = models.get(name);
        if (m == null) {
            return modelMissing(name);
        }
        String version = m.aliases.get(alias);
        if (version == null) {
            return error(400, "INVALID_PARAMETER_VALUE", "Registered model alias " + alias + " not found.");
        }
        return ok(Map.of("model_version", version(m, m.version(version), true)));
    }

    private Answer setAlias(Params p) {
        String alias = p.get("alias");
        return withVersion(p, (m, v) -> {
            m.aliases.put(alias, v.version);
            return ok(Map.of());
        });
    }

    private Answer deleteAlias(Params p) {
        String name = p.get("name");
        if (name == null) {
            return error(400, "INVALID_PARAMETER_VALUE", MISSING.formatted("name"));
        }
        if (p.get("alias") == null) {
            return error(400, "INVALID_PARAMETER_VALUE", MISSING.formatted("alias"));
        }
        ModelState m = models.get(name);
        if (m == null) {
            return modelMissing(name);
        }
        // Not recorded: MLflow 2.10's store deletes the alias row if there is one and answers {} either way.
        m.aliases.remove(p.get("alias"));
        return ok(Map.of());
    }

    private Answer getRun(Params p) {
        String id = p.get("run_id");
        RunState r = runs.get(id);
        if (r == null) {
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Run with id=" + id + " not found");
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("run_uuid", r.id);
        info.put("experiment_id", r.experimentId);
        info.put("run_name", r.name);
        info.put("user_id", "");
        info.put("status", r.status);
        info.put("start_time", r.start);
        if (r.end != null) {
            info.put("end_time", r.end);
        }
        info.put("artifact_uri", "/mlflow/artifacts/" + r.experimentId + "/" + r.id + "/artifacts");
        info.put("lifecycle_stage", "active");
        info.put("run_id", r.id);
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, MetricPoint> latest = new LinkedHashMap<>();
        for (MetricPoint m : r.metrics) {
            MetricPoint old = latest.get(m.key);
            if (old == null || m.step > old.step || (m.step == old.step && m.timestamp >= old.timestamp)) {
                latest.put(m.key, m);
            }
        }
        if (!latest.isEmpty()) {
            data.put("metrics", latest.values().stream().<Object>map(MlflowStandIn::metric).toList());
        }
        if (!r.params.isEmpty()) {
            data.put("params", keyValues(r.params));
        }
        if (!r.tags.isEmpty()) {
            data.put("tags", keyValues(r.tags));
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("info", info);
        run.put("data", data);
        run.put("inputs", Map.of());
        return ok(Map.of("run", run));
    }

    private Answer metricHistory(Params p) {
        String id = p.get("run_id");
        RunState r = runs.get(id);
        if (r == null) {
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Run with id=" + id + " not found");
        }
        String key = p.get("metric_key");
        List<Object> history = r.metrics.stream().filter(m -> m.key.equals(key)).<Object>map(MlflowStandIn::metric).toList();
        return ok(history.isEmpty() ? Map.of() : Map.of("metrics", history));
    }

    private interface VersionAction {
        Answer apply(ModelState model, VersionState version);
    }

    private Answer withVersion(Params p, VersionAction action) {
        String name = p.get("name");
        String version = p.get("version");
        if (name == null) {
            return error(400, "INVALID_PARAMETER_VALUE", MISSING.formatted("name"));
        }
        if (version == null) {
            return error(400, "INVALID_PARAMETER_VALUE", MISSING.formatted("version"));
        }
        if (p.body() != null && p.body().get("version") != null && !p.body().get("version").isTextual()) {
            // Recorded behaviour ("version": 1 is a 400); the message is the stand-in's own.
            return error(400, "INVALID_PARAMETER_VALUE", "stand-in: parameter 'version' must be a string");
        }
        ModelState m = models.get(name);
        VersionState v = m == null ? null : m.versions.get(version);
        if (v == null) {
            return error(404, "RESOURCE_DOES_NOT_EXIST",
                    "Model Version (name=" + name + ", version=" + version + ") not found");
        }
        return action.apply(m, v);
    }

    private static Answer modelMissing(String name) {
        return error(404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=" + name + " not found");
    }

    private static String canonicalStage(String stage) {
        return STAGES.stream().filter(s -> s.equalsIgnoreCase(stage)).findFirst().orElse(null);
    }

    /** A model version as MLflow writes it; {@code withAliases}: get, get-by-alias and transition show aliases. */
    private static Map<String, Object> version(ModelState m, VersionState v, boolean withAliases) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", m.name);
        x.put("version", v.version);
        x.put("creation_timestamp", v.created);
        x.put("last_updated_timestamp", v.lastUpdated);
        x.put("current_stage", v.stage);
        x.put("description", v.description);
        x.put("source", v.source);
        x.put("run_id", v.runId);
        x.put("status", v.status);
        if (!v.tags.isEmpty()) {
            x.put("tags", keyValues(v.tags));
        }
        x.put("run_link", "");
        List<String> aliases = m.aliases.entrySet().stream().filter(e -> e.getValue().equals(v.version))
                .map(Map.Entry::getKey).toList();
        if (withAliases && !aliases.isEmpty()) {
            x.put("aliases", aliases);
        }
        return x;
    }

    private static Map<String, Object> metric(MetricPoint m) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("key", m.key);
        x.put("value", m.value);
        x.put("timestamp", m.timestamp);
        x.put("step", m.step);
        return x;
    }

    private static List<Object> keyValues(Map<String, String> map) {
        List<Object> out = new ArrayList<>();
        map.forEach((k, v) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("key", k);
            x.put("value", v);
            out.add(x);
        });
        return out;
    }

    // ---- state classes ------------------------------------------------------------------------------------------

    private record Experiment(String id, String name, long created, Map<String, String> tags) {
    }

    private record MetricPoint(String key, double value, long timestamp, long step) {
    }

    private static final class RunState {
        final String id;
        final String experimentId;
        final String name;
        final String status;
        final long start;
        final Long end;
        final List<MetricPoint> metrics = new ArrayList<>();
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();

        RunState(String id, String experimentId, String name, String status, long start, Long end) {
            this.id = id;
            this.experimentId = experimentId;
            this.name = name;
            this.status = status;
            this.start = start;
            this.end = end;
        }
    }

    private static final class ModelState {
        final String name;
        long created;
        long lastUpdated;
        String description;
        final Map<String, String> tags;
        final Map<String, VersionState> versions = new LinkedHashMap<>();
        final Map<String, String> aliases = new LinkedHashMap<>();

        ModelState(String name, long created, String description, Map<String, String> tags) {
            this.name = name;
            this.created = created;
            this.lastUpdated = created;
            this.description = description;
            this.tags = tags;
        }

        VersionState version(String version) {
            VersionState v = versions.get(version);
            if (v == null) {
                throw new IllegalArgumentException("stand-in: " + name + " has no version " + version);
            }
            return v;
        }

        List<VersionState> sorted() {
            return versions.values().stream().sorted(Comparator.comparingLong(v -> Long.parseLong(v.version)))
                    .toList();
        }
    }

    private static final class VersionState {
        final String version;
        final long created;
        long lastUpdated;
        String stage = "None";
        final String description;
        final String source;
        final String runId;
        String status;
        final Map<String, String> tags;

        VersionState(String version, long created, String description, String source, String runId, String status,
                Map<String, String> tags) {
            this.version = version;
            this.created = created;
            this.lastUpdated = created;
            this.description = description;
            this.source = source;
            this.runId = runId;
            this.status = status;
            this.tags = tags;
        }
    }

    /** Runs {@code body} with a fresh stand-in and stops it afterwards. */
    public static void with(Consumer<MlflowStandIn> body) {
        MlflowStandIn standIn = startNew();
        try {
            body.accept(standIn);
        } finally {
            standIn.stop();
        }
    }
}
