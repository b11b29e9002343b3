package dev.modelguardian.integrations.pipeline;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.integrations.http.Tls;
import dev.modelguardian.integrations.kubernetes.ApiFailures;

/**
 * The requests of one target's pipeline service: start a run, read one, list them. Every request carries the
 * credentials of the Secret, read when the request is made. A failure is a {@link ClusterException}: transient for
 * no answer, a timeout, 408, 425, 429 and 5xx; permanent for the rest (a wrong URL, refused credentials, a body the
 * service rejects, a redirect: the guardian never follows one with credentials). Messages name the method and the
 * URL without its query, never a credential: a credential the service echoes back is masked.
 */
final class PipelineService {

    /** A run as a list shows it. */
    record Item(String id, String name, String state) {
    }

    /** What a start request led to. */
    sealed interface Started {
    }

    /** The service started the run; its id, when the answer gives it. */
    record Created(Optional<String> id) implements Started {
    }

    /** The service says a run of that name (or idempotency key) exists already (409). */
    record AlreadyExists() implements Started {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 300;

    private final KubernetesClient kube;
    private final String namespace;
    private final PipelineSpec spec;
    private final HttpClient http;

    PipelineService(KubernetesClient kube, String namespace, PipelineSpec spec) {
        this.kube = kube;
        this.namespace = namespace;
        this.spec = spec;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(spec.timeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        spec.caFile().ifPresent(ca -> builder.sslContext(sslContext(ca)));
        this.http = builder.build();
    }

    PipelineSpec spec() {
        return spec;
    }

    /**
     * Starts a run: the start request with the body's placeholders replaced by {@code values} and {@code idempotencyKey}
     * in the idempotency header.
     */
    Started start(Map<String, String> values, String idempotencyKey) {
        PipelineSpec.Start start = spec.start();
        Map<String, String> headers = new LinkedHashMap<>();
        start.idempotencyHeader().ifPresent(h -> headers.put(h, idempotencyKey));
        Optional<byte[]> body = start.body().map(b -> bytes(Placeholders.body(b, values)));
        String url = Placeholders.url(start.url(), values);
        Answer answer = send(start.method(), url, body, headers);
        if (answer.status() == HttpURLConnection.HTTP_CONFLICT) {
            return new AlreadyExists();
        }
        answer.require("start a " + spec.runKind());
        // An answer without the id (none, or not JSON) still means the run was accepted: it is found by name.
        return new Created(start.runId().flatMap(pointer -> answer.parsed().flatMap(json -> text(json, pointer))));
    }

    /** The answer of the status request for the run {@code runId}; empty when the service does not know it (404). */
    Optional<JsonNode> status(String runId, Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>(values);
        all.put(Placeholders.RUN_ID, runId);
        Answer answer = send("GET", Placeholders.url(spec.status().url(), all), Optional.empty(), Map.of());
        if (answer.status() == HttpURLConnection.HTTP_NOT_FOUND) {
            return Optional.empty();
        }
        answer.require("read " + spec.runKind() + " " + runId);
        return Optional.of(answer.json());
    }

    /** The runs the runs request lists, in its order; empty when no runs request is configured. */
    List<Item> runs(Map<String, String> values) {
        if (spec.runs().isEmpty()) {
            return List.of();
        }
        PipelineSpec.Runs runs = spec.runs().get();
        Answer answer = send("GET", Placeholders.url(runs.url(), values), Optional.empty(), Map.of());
        answer.require("list " + spec.runKind() + "s");
        JsonNode items = answer.json().at(runs.items());
        List<Item> out = new ArrayList<>();
        if (items.isMissingNode() || items.isNull()) {
            return out; // an empty list, as Kubeflow writes it: the key left out
        }
        if (!items.isArray()) {
            throw new ClusterException("GET " + where(runs.url()) + ": " + runs.items() + " is not an array of "
                    + spec.runKind() + "s; set trigger.http.runs.items to where the list is", true, null);
        }
        for (JsonNode item : items) {
            String name = text(item, runs.name()).orElse("");
            String id = runs.runId().flatMap(p -> text(item, p)).orElse(name);
            out.add(new Item(id, name, text(item, runs.state()).orElse("")));
        }
        return out;
    }

    /** The text at {@code pointer} of {@code node} (a number as its digits); empty when missing, null or blank. */
    static Optional<String> text(JsonNode node, JsonPointer pointer) {
        JsonNode value = node.at(pointer);
        if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
            return Optional.empty();
        }
        return Optional.of(value.asText()).filter(t -> !t.isBlank());
    }

    /** An answer to one request, with what is needed to say what went wrong. */
    private record Answer(String method, String url, int status, byte[] body, List<String> secrets,
            boolean rateLimited) {

        /**
         * Fails unless the answer is a success.
         *
         * @throws ClusterException transient for 408, 425, 429 and 5xx, else permanent
         */
        void require(String what) {
            if (status / 100 == 2) {
                return;
            }
            String said = excerpt();
            if (rateLimited) {
                throw new ClusterException("cannot " + what + ": " + method + " " + where(url) + " answered HTTP "
                        + status + " with a rate limit (" + (said.isEmpty() ? "no message" : said) + "); retried at"
                        + " the next cycle", false, null);
            }
            String fix = switch (status) {
                case 401, 403 -> ": the service refused the credentials; check trigger.http.auth and the Secret's"
                        + " token, and that it may " + what;
                case 404 -> ": not found; check the URL (trigger.http), and that the credentials may see it (some"
                        + " services, GitHub among them, answer 404 to a token that may not)";
                case 301, 302, 303, 307, 308 -> ": redirected; set the URL the service redirects to (credentials"
                        + " are never sent on a redirect)";
                default -> "";
            };
            boolean transientFailure = status == 408 || status == 425 || status == 429 || status >= 500;
            throw new ClusterException("cannot " + what + ": " + method + " " + where(url) + " answered HTTP "
                    + status + (said.isEmpty() ? "" : " (" + said + ")") + fix, !transientFailure, null);
        }

        /** The body as JSON; empty when there is none or it is not JSON. */
        Optional<JsonNode> parsed() {
            if (body.length == 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(JSON.readTree(body));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** The body as JSON, which it must be. */
        JsonNode json() {
            return parsed().orElseThrow(() -> new ClusterException(method + " " + where(url) + " answered HTTP "
                    + status + " with a body that is not JSON (" + excerpt() + "); check the URL (trigger.http)", true,
                    null));
        }

        /** The start of the body on one line, with every credential masked (before anything else is changed). */
        String excerpt() {
            String text = new String(body, StandardCharsets.UTF_8);
            for (String secret : secrets) {
                text = text.replace(secret, "***");
            }
            text = text.replaceAll("\\s+", " ").strip();
            return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "..." : text;
        }
    }

    private Answer send(String method, String url, Optional<byte[]> body, Map<String, String> headers) {
        Credentials credentials = credentials();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(spec.timeout())
                .header("Accept", "application/json")
                .method(method, body.map(HttpRequest.BodyPublishers::ofByteArray)
                        .orElse(HttpRequest.BodyPublishers.noBody()));
        body.ifPresent(b -> request.header("Content-Type", "application/json"));
        spec.headers().forEach(request::header);
        headers.forEach(request::header);
        credentials.header().ifPresent(h -> request.header("Authorization", h));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            // A rate limit (GitHub answers it with 403 and x-ratelimit-remaining: 0, or with Retry-After) passes.
            boolean rateLimited = (response.statusCode() == 403 || response.statusCode() == 429)
                    && (response.headers().firstValue("retry-after").isPresent()
                            || response.headers().firstValue("x-ratelimit-remaining").filter("0"::equals).isPresent());
            return new Answer(method, url, response.statusCode(), response.body(), credentials.values(), rateLimited);
        } catch (HttpTimeoutException e) {
            throw new ClusterException(method + " " + where(url) + ": no answer within "
                    + spec.timeout().toSeconds() + "s (trigger.http.request-timeout)", false, null);
        } catch (ConnectException e) {
            throw new ClusterException(method + " " + where(url) + ": cannot connect ("
                    + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()) + ")", false, null);
        } catch (IOException e) {
            throw new ClusterException(method + " " + where(url) + ": " + ApiFailures.rootCause(e), false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException(method + " " + where(url) + ": interrupted", false, null);
        }
    }

    /** The Authorization header and the values it is made of (to mask them), read from the Secret now. */
    private record Credentials(Optional<String> header, List<String> values) {
    }

    private Credentials credentials() {
        if (spec.auth().isEmpty()) {
            return new Credentials(Optional.empty(), List.of());
        }
        PipelineSpec.Auth auth = spec.auth().get();
        Map<String, String> data = secretData(auth);
        List<String> values = new ArrayList<>();
        for (String key : auth.keys()) {
            values.add(data.get(key));
        }
        String header = auth.basic()
                ? "Basic " + Base64.getEncoder().encodeToString((values.get(0) + ":" + values.get(1))
                        .getBytes(StandardCharsets.UTF_8))
                : "Bearer " + values.get(0);
        List<String> masked = new ArrayList<>(values);
        masked.add(header.substring(header.indexOf(' ') + 1));
        return new Credentials(Optional.of(header), masked.stream().filter(v -> v.length() >= 4).toList());
    }

    /**
     * The keys {@code auth} reads from its Secret, decoded, without a trailing line end.
     *
     * @throws ClusterException (permanent) when the Secret or a key is missing
     */
    Map<String, String> secretData(PipelineSpec.Auth auth) {
        Secret secret;
        try {
            secret = kube.secrets().inNamespace(namespace).withName(auth.secret()).get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.of(namespace, "read Secret " + namespace + "/" + auth.secret(), e);
        }
        if (secret == null) {
            throw new ClusterException("Secret " + namespace + "/" + auth.secret() + " (trigger.http.auth.secret) not"
                    + " found; create it with key " + String.join(" and ", auth.keys()), true, null);
        }
        Map<String, String> data = new LinkedHashMap<>();
        for (String key : auth.keys()) {
            String encoded = secret.getData() == null ? null : secret.getData().get(key);
            if (encoded == null || encoded.isEmpty()) {
                throw new ClusterException("Secret " + namespace + "/" + auth.secret() + " has no key " + key
                        + "; add it, or set trigger.http.auth." + (key.equals(auth.tokenKey()) ? "token-key"
                                : key.equals(auth.usernameKey()) ? "username-key" : "password-key")
                        + " to the key that holds it", true, null);
            }
            data.put(key, new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).strip());
        }
        return data;
    }

    /** {@code url} as messages say it: scheme, host, port and path, never the query (it may hold a token). */
    static String where(String url) {
        try {
            URI uri = URI.create(url);
            // Host and port only: user information in the authority is a credential.
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                    + Optional.ofNullable(uri.getRawPath()).orElse("");
        } catch (IllegalArgumentException e) {
            return "(a URL that is not one)";
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON body", e);
        }
    }

    private static SSLContext sslContext(java.nio.file.Path caFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(Tls.trustStore(caFile));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
