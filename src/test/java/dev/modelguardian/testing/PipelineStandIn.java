package dev.modelguardian.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A pipeline service stand-in on a loopback port, answering the requests the three documented recipes of the
 * {@code http} trigger make, in the shapes the services document:
 * <ul>
 * <li>{@link Service#KUBEFLOW}: Kubeflow Pipelines' v2beta1 REST API ({@code POST /apis/v2beta1/runs}, {@code GET
 *     /apis/v2beta1/runs/{run_id}}, {@code GET /apis/v2beta1/runs?experiment_id=...}; grpc-gateway JSON: snake_case,
 *     empty fields left out, errors as {@code {"code": 5, "message": ..., "details": []}}); the service assigns
 *     {@code run_id}.</li>
 * <li>{@link Service#AIRFLOW}: Airflow 2's stable REST API ({@code POST /api/v1/dags/{dag_id}/dagRuns}, {@code GET
 *     .../dagRuns/{dag_run_id}}, {@code GET .../dagRuns?state=...}; errors as problem+json {@code detail, status,
 *     title, type}); the caller chooses {@code dag_run_id}, a second one of that id is 409.</li>
 * <li>{@link Service#GITHUB}: GitHub Actions ({@code POST /repos/{o}/{r}/actions/workflows/{w}/dispatches}: 204, or
 *     200 with {@code workflow_run_id, run_url, html_url} when the body asks {@code return_run_details}; {@code GET
 *     /repos/{o}/{r}/actions/runs/{id}}; {@code GET .../workflows/{w}/runs}); a run's {@code display_title} is its
 *     {@code run-name}, here the {@code run} input.</li>
 * </ul>
 * Stateful: runs are kept in memory and {@link #finish} ends one. Faults: {@link #failNext}, {@link #loseNextAnswer}
 * (the run is made, the answer is a 502), {@link #hangNext}. {@link #requests()} is what was asked.
 */
public final class PipelineStandIn implements AutoCloseable {

    /** The service this stand-in answers as. */
    public enum Service {
        KUBEFLOW, AIRFLOW, GITHUB
    }

    /** One request received. */
    public record Request(String method, String path, Map<String, String> headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The Kubeflow experiment, Airflow DAG and GitHub repository and workflow the recipes name. */
    public static final String EXPERIMENT = "6c5d3f0e-2a44-4d3e-9d1a-7c0f1e2b3a4d";
    public static final String DAG = "orchestrator_ml_retrain";
    public static final String REPO = "neural-hive/orchestrator-ml";
    public static final String WORKFLOW = "retrain.yml";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KFP_RUN = Pattern.compile("/apis/v2beta1/runs/([^/]+)");
    private static final Pattern AIRFLOW_RUNS = Pattern.compile("/api/v1/dags/([^/]+)/dagRuns");
    private static final Pattern AIRFLOW_RUN = Pattern.compile("/api/v1/dags/([^/]+)/dagRuns/([^/]+)");
    private static final Pattern GH_DISPATCH = Pattern.compile("/repos/([^/]+/[^/]+)/actions/workflows/([^/]+)/dispatches");
    private static final Pattern GH_RUNS = Pattern.compile("/repos/([^/]+/[^/]+)/actions/workflows/([^/]+)/runs");
    private static final Pattern GH_RUN = Pattern.compile("/repos/([^/]+/[^/]+)/actions/runs/([0-9]+)");

    private final Service service;
    private final HttpServer server;
    private final String expectedAuthorization;
    /** Runs by id, oldest first (the lists answer newest first). */
    private final Map<String, ObjectNode> runs = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Integer> failures = new ArrayDeque<>();
    private final Deque<Integer> postFailures = new ArrayDeque<>();
    /** One thread per request: a held request does not hold the others. */
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
    private final AtomicLong githubIds = new AtomicLong(9_183_741_200L);
    private volatile boolean loseNextAnswer;
    private volatile boolean htmlNextAnswer;
    private volatile boolean rateLimitNextPost;
    private volatile CountDownLatch hang;
    private volatile String echo = "";

    private PipelineStandIn(Service service, String expectedAuthorization) throws IOException {
        this.service = service;
        this.expectedAuthorization = expectedAuthorization;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * A stand-in answering as {@code service}, requiring {@code authorization} (the whole header value) on every
     * request; 401 without it.
     */
    public static PipelineStandIn start(Service service, String authorization) {
        try {
            return new PipelineStandIn(service, authorization);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Every request received, in order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests of {@code method}. */
    public List<Request> requests(String method) {
        return requests().stream().filter(r -> r.method().equals(method)).toList();
    }

    /** How many runs the service holds. */
    public int runCount() {
        return runs.size();
    }

    /** The runs' ids, oldest first. */
    public List<String> runIds() {
        synchronized (runs) {
            return List.copyOf(runs.keySet());
        }
    }

    /** The run {@code id} as the service keeps it. */
    public JsonNode run(String id) {
        return runs.get(id);
    }

    /**
     * Ends (or moves) run {@code id} to {@code state}: Kubeflow's {@code state} (with {@code message} as its
     * {@code error.message} when given), Airflow's {@code state}, GitHub's {@code conclusion} (status
     * {@code completed}), or for GitHub {@code in_progress} as its status.
     */
    public void finish(String id, String state, String message) {
        ObjectNode run = runs.get(id);
        switch (service) {
            case KUBEFLOW -> {
                run.put("state", state);
                if (message != null) {
                    run.putObject("error").put("code", 9).put("message", message).putArray("details");
                }
            }
            case AIRFLOW -> run.put("state", state);
            case GITHUB -> {
                if (state.equals("in_progress") || state.equals("queued")) {
                    run.put("status", state);
                } else {
                    run.put("status", "completed").put("conclusion", state);
                }
            }
        }
    }

    /** Adds a run started by someone else (a schedule, a person), in {@code state}; returns its id. */
    public String addRun(String name, String state) {
        String id = create(name, JSON.createObjectNode());
        finish(id, state, null);
        return id;
    }

    /** Forgets every run, request and fault: a fresh service for the next test. */
    public void reset() {
        runs.clear();
        requests.clear();
        synchronized (failures) {
            failures.clear();
            postFailures.clear();
        }
        loseNextAnswer = false;
        echo = "";
    }

    /** The id of the run named {@code name}; fails when there is none. */
    public String idOf(String name) {
        synchronized (runs) {
            return runs.entrySet().stream().filter(e -> name.equals(runName(e.getValue()))).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError("no run named " + name + " in " + names()));
        }
    }

    /** The runs' names (Kubeflow's display_name, Airflow's dag_run_id, GitHub's display_title), oldest first. */
    public List<String> names() {
        synchronized (runs) {
            return runs.values().stream().map(PipelineStandIn::runName).toList();
        }
    }

    private static String runName(JsonNode run) {
        for (String field : List.of("display_name", "dag_run_id", "display_title")) {
            if (run.hasNonNull(field)) {
                return run.get(field).asText();
            }
        }
        return "";
    }

    /** Removes run {@code id}, as a retention policy would. */
    public void delete(String id) {
        runs.remove(id);
    }

    /** The next {@code count} requests answer HTTP {@code status} with the service's error body. */
    public void failNext(int status, int count) {
        synchronized (failures) {
            for (int i = 0; i < count; i++) {
                failures.add(status);
            }
        }
    }

    /** The next start (POST) request answers HTTP {@code status} with the service's error body; others answer. */
    public void failNextStart(int status) {
        synchronized (failures) {
            postFailures.add(status);
        }
    }

    /**
     * The next start (POST) request answers as GitHub does when the rate limit is spent: 403, {@code
     * x-ratelimit-remaining: 0}, "API rate limit exceeded".
     */
    public void rateLimitNextStart() {
        rateLimitNextPost = true;
    }

    /** The next start request makes the run, then answers 200 with an HTML page (a proxy's, say), not the run. */
    public void answerNextStartWithHtml() {
        htmlNextAnswer = true;
    }

    /** The next start request makes the run, then answers 502 as a proxy that lost the service's answer would. */
    public void loseNextAnswer() {
        loseNextAnswer = true;
    }

    /** The next request is held until {@link #close()}: the caller's timeout decides. */
    public void hangNext() {
        hang = new CountDownLatch(1);
    }

    /** Error bodies repeat {@code text} (as a service echoing a request header would). */
    public void echoInErrors(String text) {
        echo = text;
    }

    @Override
    public void close() {
        CountDownLatch h = hang;
        if (h != null) {
            h.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                    String.join(",", v)));
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            requests.add(new Request(method, uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?"
                    + uri.getRawQuery()), headers, body));
            CountDownLatch h = hang;
            if (h != null) {
                hang = null;
                h.await();
                return;
            }
            if (!expectedAuthorization.equals(headers.get("authorization"))) {
                error(exchange, 401, "Unauthorized");
                return;
            }
            if (rateLimitNextPost && method.equals("POST")) {
                rateLimitNextPost = false;
                exchange.getResponseHeaders().set("x-ratelimit-remaining", "0");
                exchange.getResponseHeaders().set("x-ratelimit-reset", Long.toString(
                        java.time.Instant.now().plusSeconds(600).getEpochSecond()));
                error(exchange, 403, "API rate limit exceeded for installation ID 1234567.");
                return;
            }
            Integer failure;
            synchronized (failures) {
                failure = failures.poll();
                if (failure == null && method.equals("POST")) {
                    failure = postFailures.poll();
                }
            }
            if (failure != null) {
                error(exchange, failure, "injected failure");
                return;
            }
            answer(exchange, method, uri, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange exchange, String method, URI uri, String body) throws IOException {
        String path = uri.getRawPath();
        Map<String, List<String>> query = query(uri.getRawQuery());
        Matcher m;
        switch (service) {
            case KUBEFLOW -> {
                if (method.equals("POST") && path.equals("/apis/v2beta1/runs")) {
                    JsonNode request = JSON.readTree(body);
                    String id = create(request.path("display_name").asText(), request);
                    respond(exchange, 200, runs.get(id));
                } else if (method.equals("GET") && path.equals("/apis/v2beta1/runs")) {
                    ObjectNode list = JSON.createObjectNode();
                    List<ObjectNode> matching = newestFirst().stream().filter(r -> !query.containsKey("experiment_id")
                            || query.get("experiment_id").contains(r.path("experiment_id").asText())).toList();
                    if (!matching.isEmpty()) { // grpc-gateway leaves empty fields out
                        list.putArray("runs").addAll(matching);
                        list.put("total_size", matching.size());
                    }
                    respond(exchange, 200, list);
                } else if (method.equals("GET") && (m = KFP_RUN.matcher(path)).matches()) {
                    ObjectNode run = runs.get(m.group(1));
                    if (run == null) {
                        error(exchange, 404, "Failed to get run " + m.group(1) + ": ResourceNotFoundError: Run "
                                + m.group(1) + " not found");
                    } else {
                        respond(exchange, 200, run);
                    }
                } else {
                    error(exchange, 404, "Not Found");
                }
            }
            case AIRFLOW -> {
                if (method.equals("POST") && (m = AIRFLOW_RUNS.matcher(path)).matches()) {
                    JsonNode request = JSON.readTree(body);
                    String id = request.path("dag_run_id").asText();
                    if (runs.containsKey(id)) {
                        error(exchange, 409, "DAGRun with DAG ID: '" + m.group(1) + "' and DAGRun ID: '" + id
                                + "' already exists");
                        return;
                    }
                    create(id, request);
                    respond(exchange, 200, runs.get(id));
                } else if (method.equals("GET") && (m = AIRFLOW_RUNS.matcher(path)).matches()) {
                    List<String> states = query.getOrDefault("state", List.of());
                    List<ObjectNode> matching = newestFirst().stream()
                            .filter(r -> states.isEmpty() || states.contains(r.path("state").asText())).toList();
                    ObjectNode list = JSON.createObjectNode();
                    list.putArray("dag_runs").addAll(matching);
                    list.put("total_entries", matching.size());
                    respond(exchange, 200, list);
                } else if (method.equals("GET") && (m = AIRFLOW_RUN.matcher(path)).matches()) {
                    ObjectNode run = runs.get(URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
                    if (run == null) {
                        error(exchange, 404, "DAGRun with DAG ID: '" + m.group(1) + "' and DAGRun ID: '"
                                + m.group(2) + "' not found");
                    } else {
                        respond(exchange, 200, run);
                    }
                } else {
                    error(exchange, 404, "Not Found");
                }
            }
            case GITHUB -> {
                if (method.equals("POST") && (m = GH_DISPATCH.matcher(path)).matches()) {
                    JsonNode request = JSON.readTree(body);
                    if (!request.hasNonNull("ref")) {
                        error(exchange, 422, "Invalid request.\n\n\"ref\" wasn't supplied.");
                        return;
                    }
                    String id = create(request.path("inputs").path("run").asText(), request);
                    if (request.path("return_run_details").asBoolean(false)) {
                        ObjectNode details = JSON.createObjectNode();
                        details.put("workflow_run_id", Long.parseLong(id));
                        details.put("run_url", "https://api.github.com/repos/" + m.group(1) + "/actions/runs/" + id);
                        details.put("html_url", "https://github.com/" + m.group(1) + "/actions/runs/" + id);
                        respond(exchange, 200, details);
                    } else {
                        exchange.sendResponseHeaders(204, -1);
                    }
                } else if (method.equals("GET") && (m = GH_RUNS.matcher(path)).matches()) {
                    ObjectNode list = JSON.createObjectNode();
                    List<ObjectNode> all = newestFirst();
                    list.put("total_count", all.size());
                    list.putArray("workflow_runs").addAll(all);
                    respond(exchange, 200, list);
                } else if (method.equals("GET") && (m = GH_RUN.matcher(path)).matches()) {
                    ObjectNode run = runs.get(m.group(2));
                    if (run == null) {
                        error(exchange, 404, "Not Found");
                    } else {
                        respond(exchange, 200, run);
                    }
                } else {
                    error(exchange, 404, "Not Found");
                }
            }
        }
    }

    /** Makes a run named {@code name} from a start request's body; returns its id. */
    private String create(String name, JsonNode request) {
        String now = java.time.Instant.now().toString();
        ObjectNode run = JSON.createObjectNode();
        String id;
        switch (service) {
            case KUBEFLOW -> {
                id = UUID.randomUUID().toString();
                run.put("experiment_id", request.path("experiment_id").asText(EXPERIMENT));
                run.put("run_id", id);
                run.put("display_name", name);
                run.put("storage_state", "AVAILABLE");
                if (request.has("pipeline_version_reference")) {
                    run.set("pipeline_version_reference", request.get("pipeline_version_reference"));
                }
                if (request.has("runtime_config")) {
                    run.set("runtime_config", request.get("runtime_config"));
                }
                run.put("service_account", "pipeline-runner");
                run.put("created_at", now);
                run.put("scheduled_at", "1970-01-01T00:00:00Z");
                run.put("finished_at", "1970-01-01T00:00:00Z");
                run.put("state", "PENDING");
                ArrayNode history = run.putArray("state_history");
                history.addObject().put("update_time", now).put("state", "PENDING");
            }
            case AIRFLOW -> {
                id = name;
                run.set("conf", request.has("conf") ? request.get("conf") : JSON.createObjectNode());
                run.put("dag_id", DAG);
                run.put("dag_run_id", id);
                run.put("data_interval_end", now);
                run.put("data_interval_start", now);
                run.putNull("end_date");
                run.put("external_trigger", true);
                run.putNull("last_scheduling_decision");
                run.put("logical_date", now);
                run.put("note", request.path("note").asText(null));
                run.put("run_type", "manual");
                run.putNull("start_date");
                run.put("state", "queued");
            }
            case GITHUB -> {
                id = Long.toString(githubIds.incrementAndGet());
                run.put("id", Long.parseLong(id));
                run.put("name", "Retrain");
                run.put("display_title", name.isEmpty() ? "Retrain" : name);
                run.put("head_branch", request.path("ref").asText("main"));
                run.put("event", "workflow_dispatch");
                run.put("status", "queued");
                run.putNull("conclusion");
                run.put("workflow_id", 161335);
                run.put("html_url", "https://github.com/" + REPO + "/actions/runs/" + id);
                run.put("created_at", now);
                run.put("updated_at", now);
            }
            default -> throw new IllegalStateException();
        }
        runs.put(id, run);
        return id;
    }

    private List<ObjectNode> newestFirst() {
        List<ObjectNode> all;
        synchronized (runs) {
            all = new ArrayList<>(runs.values());
        }
        Collections.reverse(all);
        return all;
    }

    private void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (htmlNextAnswer && exchange.getRequestMethod().equals("POST")) {
            htmlNextAnswer = false;
            byte[] html = "<html><body>Accepted</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
            return;
        }
        if (loseNextAnswer && exchange.getRequestMethod().equals("POST")) {
            loseNextAnswer = false;
            error(exchange, 502, "Bad Gateway");
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The service's own error body for {@code status}. */
    private void error(HttpExchange exchange, int status, String message) throws IOException {
        String said = message + echo;
        ObjectNode body = JSON.createObjectNode();
        String type = "application/json";
        switch (service) {
            case KUBEFLOW -> {
                int code = switch (status) {
                    case 400 -> 3;
                    case 401 -> 16;
                    case 403 -> 7;
                    case 404 -> 5;
                    case 409 -> 6;
                    case 503 -> 14;
                    default -> 13;
                };
                body.put("code", code).put("message", said).putArray("details");
            }
            case AIRFLOW -> {
                type = "application/problem+json";
                body.put("detail", said).put("status", status).put("title", switch (status) {
                    case 401 -> "Unauthorized";
                    case 404 -> "DAGRun not found";
                    case 409 -> "Conflict";
                    default -> "Internal Server Error";
                }).put("type", "https://airflow.apache.org/docs/apache-airflow/2.10.4/stable-rest-api-ref.html#section/"
                        + "Errors/" + (status == 409 ? "AlreadyExists" : status == 404 ? "NotFound" : "Unknown"));
            }
            case GITHUB -> body.put("message", said)
                    .put("documentation_url", "https://docs.github.com/rest/actions/workflows")
                    .put("status", Integer.toString(status));
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }
}
