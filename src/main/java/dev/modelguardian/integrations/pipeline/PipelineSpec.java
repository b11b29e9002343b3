package dev.modelguardian.integrations.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One target's pipeline service, resolved from its validated {@code trigger.http.*}: what is requested, and where in
 * the answers the run's id, state and message are.
 *
 * @param name     what the runs are started from, as messages name it
 * @param runKind  what the service calls one run
 * @param start    the request that starts a run
 * @param status   the request that reads one run
 * @param runs     the request that lists runs, when configured
 * @param auth     the credentials' Secret, when configured
 * @param headers  the headers every request carries besides the credentials
 * @param timeout  how long one request may take
 * @param caFile   a PEM file of the CA certificates the service's certificate is checked against
 */
record PipelineSpec(String name, String runKind, Start start, Status status, Optional<Runs> runs,
        Optional<Auth> auth, Map<String, String> headers, Duration timeout, Optional<Path> caFile) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param method            {@code POST} or {@code PUT}
     * @param url               the URL, with placeholders
     * @param body              the JSON body, with placeholders in its strings
     * @param runId             where the service's id of the run is in the answer; empty: the run's name is its id
     * @param idempotencyHeader the header carrying the remediation id, if any
     */
    record Start(String method, String url, Optional<JsonNode> body, Optional<JsonPointer> runId,
            Optional<String> idempotencyHeader) {
    }

    /**
     * @param url       the URL, with {@code {run-id}}
     * @param state     where the run's state is in the answer
     * @param succeeded the states of a run that succeeded
     * @param failed    the states of a run that ended without success
     * @param message   where the service says why a run failed, if anywhere
     */
    record Status(String url, JsonPointer state, Set<String> succeeded, Set<String> failed,
            Optional<JsonPointer> message) {

        /** Whether {@code state} is one a run ends in. */
        boolean ended(String state) {
            return succeeded.contains(state) || failed.contains(state);
        }
    }

    /**
     * @param url   the URL, newest runs first
     * @param items where the array of runs is in the answer
     * @param name  where a run's name is, within one item
     * @param runId where a run's id is, within one item; empty: its name is its id
     * @param state where a run's state is, within one item
     */
    record Runs(String url, JsonPointer items, JsonPointer name, Optional<JsonPointer> runId, JsonPointer state) {
    }

    /**
     * @param secret      the Secret's name
     * @param basic       {@code basic} rather than {@code bearer}
     * @param tokenKey    the key of the bearer token
     * @param usernameKey the key of the basic user name
     * @param passwordKey the key of the basic password
     */
    record Auth(String secret, boolean basic, String tokenKey, String usernameKey, String passwordKey) {

        /** The keys read from the Secret. */
        List<String> keys() {
            return basic ? List.of(usernameKey, passwordKey) : List.of(tokenKey);
        }
    }

    /** Whether the service gives the run its own id (read from the start answer), rather than taking its name. */
    boolean assignsIds() {
        return start.runId().isPresent();
    }

    /**
     * The settings of target {@code target}, already validated.
     *
     * @throws IllegalArgumentException when a required setting is missing (validation reports it first)
     */
    static PipelineSpec of(String target, HttpTriggerSettings.HttpTrigger http) {
        HttpTriggerSettings.HttpStart s = http.start();
        HttpTriggerSettings.HttpStatus st = http.status();
        Start start = new Start(s.method().toUpperCase(Locale.ROOT), required(s.url(), "start.url"),
                s.body().map(PipelineSpec::json), s.runId().map(JsonPointer::compile),
                Optional.of(s.idempotencyHeader()).filter(h -> !h.equalsIgnoreCase("none")));
        JsonPointer state = JsonPointer.compile(required(st.state(), "status.state"));
        Status status = new Status(required(st.url(), "status.url"), state, Set.copyOf(st.succeeded().orElse(List.of())),
                Set.copyOf(st.failed().orElse(List.of())), st.message().map(JsonPointer::compile));
        HttpTriggerSettings.HttpRuns r = http.runs();
        Optional<Runs> runs = r.url().map(url -> new Runs(url, JsonPointer.compile(required(r.items(), "runs.items")),
                JsonPointer.compile(required(r.name(), "runs.name")),
                r.runId().or(s::runId).map(JsonPointer::compile),
                r.state().map(JsonPointer::compile).orElse(state)));
        HttpTriggerSettings.HttpAuth a = http.auth();
        Optional<Auth> auth = a.secret().map(secret -> new Auth(secret, a.scheme().equalsIgnoreCase("basic"),
                a.tokenKey(), a.usernameKey(), a.passwordKey()));
        return new PipelineSpec(http.name().orElse(target), http.runKind(), start, status, runs, auth,
                new java.util.TreeMap<>(http.headers()), http.requestTimeout(), http.caFile());
    }

    /** {@code text} parsed as JSON. */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(Optional<String> value, String key) {
        return value.orElseThrow(() -> new IllegalArgumentException("trigger.http." + key + " is not set"));
    }
}
