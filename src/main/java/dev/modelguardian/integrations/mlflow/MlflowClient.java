package dev.modelguardian.integrations.mlflow;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

import com.fasterxml.jackson.core.JacksonException;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

import dev.modelguardian.integrations.http.Tls;
import dev.modelguardian.integrations.mlflow.MlflowDtos.DeleteAliasRequest;
import dev.modelguardian.integrations.mlflow.MlflowDtos.Experiment;
import dev.modelguardian.integrations.mlflow.MlflowDtos.MlflowModelVersion;
import dev.modelguardian.integrations.mlflow.MlflowDtos.MlflowRun;
import dev.modelguardian.integrations.mlflow.MlflowDtos.ModelVersionsResponse;
import dev.modelguardian.integrations.mlflow.MlflowDtos.RegisteredModel;
import dev.modelguardian.integrations.mlflow.MlflowDtos.SetAliasRequest;
import dev.modelguardian.integrations.mlflow.MlflowDtos.TransitionStageRequest;

/**
 * The MLflow REST calls the guardian makes, with MLflow 2.x's quirks handled: a missing list key is an empty list, a
 * missing alias (a 400, not a 404) is an empty answer, a missing experiment is an empty answer, a DELETE carries a JSON
 * body, every error becomes an {@link MlflowException} naming the call, and connection errors, timeouts and 5xx answers
 * are retried with exponential backoff and jitter (never a 4xx). Thread-safe. Credentials are sent in the
 * {@code Authorization} header and appear nowhere else: not in messages, logs or {@link #toString()}.
 */
public final class MlflowClient {

    private final MlflowApi api;
    private final MlflowRetry retry;
    private final String url;

    /** A client for {@code guardian.mlflow.*}; {@code guardian.mlflow.url} must be set. */
    public MlflowClient(MlflowSettings config) {
        this(config, new MlflowRetry(config.retries(), config.retryBackoff()));
    }

    MlflowClient(MlflowSettings config, MlflowRetry retry) {
        this.url = config.url().orElseThrow(() -> new IllegalStateException(
                "guardian.mlflow.url is not set; set GUARDIAN_MLFLOW_URL (e.g. http://mlflow.mlflow:5000)"));
        long timeout = config.timeout().toMillis();
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url))
                .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                .readTimeout(timeout, TimeUnit.MILLISECONDS)
                .register(new MlflowErrorMapper());
        authorization(config).ifPresent(value -> builder.register(new Authorization(value)));
        this.api = Tls.verified(builder, config.caFile()).build(MlflowApi.class);
        this.retry = retry;
    }

    private static Optional<String> authorization(MlflowSettings config) {
        return config.token().map(token -> "Bearer " + token)
                .or(() -> config.username().map(user -> "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + config.password().orElse("")).getBytes(StandardCharsets.UTF_8))));
    }

    /** The experiment called {@code name}; empty when MLflow answers 404 RESOURCE_DOES_NOT_EXIST. */
    public Optional<Experiment> experimentByName(String name) {
        try {
            return Optional.ofNullable(call("GET experiments/get-by-name",
                    () -> api.getExperimentByName(name)).experiment());
        } catch (MlflowException e) {
            if (e.is(404, MlflowException.RESOURCE_DOES_NOT_EXIST)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A registered model with its latest version per stage and its aliases. */
    public RegisteredModel registeredModel(String name) {
        return required("GET registered-models/get",
                call("GET registered-models/get", () -> api.getRegisteredModel(name)).registeredModel());
    }

    /**
     * The names of the first {@code max} registered models (one call, no paging; MLflow allows at most 1000), for
     * "did you mean" when a configured name does not exist.
     */
    public List<String> registeredModelNames(int max) {
        return call("GET registered-models/search", () -> api.searchRegisteredModels(null, max, null))
                .registeredModels().stream().map(RegisteredModel::name).filter(n -> n != null).toList();
    }

    /** The latest version of {@code name} in each of {@code stages} (every stage when none is given). */
    public List<MlflowModelVersion> latestVersions(String name, List<String> stages) {
        return call("GET registered-models/get-latest-versions",
                () -> api.getLatestVersions(name, stages.isEmpty() ? null : stages)).modelVersions();
    }

    /** One page of the versions of {@code model}, newest first; {@code pageToken} null for the first page. */
    public ModelVersionsResponse searchVersions(String model, int maxResults, String pageToken) {
        return call("GET model-versions/search", () -> api.searchModelVersions(nameFilter(model), maxResults,
                List.of("creation_timestamp DESC"), pageToken));
    }

    public MlflowModelVersion modelVersion(String name, String version) {
        return required("GET model-versions/get",
                call("GET model-versions/get", () -> api.getModelVersion(name, version)).modelVersion());
    }

    /** Moves a version to {@code stage}; with {@code archiveExisting} the versions in that stage now are archived. */
    public MlflowModelVersion transitionStage(String name, String version, String stage, boolean archiveExisting) {
        return required("POST model-versions/transition-stage", call("POST model-versions/transition-stage",
                () -> api.transitionStage(new TransitionStageRequest(name, version, stage, archiveExisting)))
                .modelVersion());
    }

    /** Points {@code alias} at {@code version} (moving it from any other version). */
    public void setAlias(String name, String alias, String version) {
        call("POST registered-models/alias", () -> {
            api.setAlias(new SetAliasRequest(name, alias, version));
            return null;
        });
    }

    /**
     * The version {@code alias} points to; empty when the alias does not exist (MLflow 2.x answers that with HTTP 400
     * INVALID_PARAMETER_VALUE "... alias ... not found", later versions may answer 404).
     */
    public Optional<MlflowModelVersion> versionByAlias(String name, String alias) {
        try {
            return Optional.ofNullable(call("GET registered-models/alias",
                    () -> api.getModelVersionByAlias(name, alias)).modelVersion());
        } catch (MlflowException e) {
            if (aliasMissing(name, alias, e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes {@code alias}; true when it existed, false when it was already missing. */
    public boolean deleteAlias(String name, String alias) {
        try {
            call("DELETE registered-models/alias", () -> {
                api.deleteAlias(new DeleteAliasRequest(name, alias));
                return null;
            });
            return true;
        } catch (MlflowException e) {
            if (aliasMissing(name, alias, e)) {
                return false;
            }
            throw e;
        }
    }

    public MlflowRun run(String runId) {
        return required("GET runs/get", call("GET runs/get", () -> api.getRun(runId)).run());
    }

    @Override
    public String toString() {
        return "MlflowClient[" + url + "]";
    }

    /**
     * Whether {@code e}, the answer to a call on {@code alias}, means the alias is not set. MLflow 2.x answers 400
     * INVALID_PARAMETER_VALUE (MLflow 3 may answer 404 RESOURCE_DOES_NOT_EXIST) both for a missing alias and for other
     * bad requests, and only its message tells them apart; rather than read the message, the model's alias list is
     * read: the alias is missing when the model exists and does not list it. A missing model throws.
     */
    private boolean aliasMissing(String name, String alias, MlflowException e) {
        if (!e.is(400, MlflowException.INVALID_PARAMETER_VALUE)
                && !e.is(404, MlflowException.RESOURCE_DOES_NOT_EXIST)) {
            return false;
        }
        return registeredModel(name).aliases().stream().noneMatch(a -> alias.equals(a.alias()));
    }

    /** MLflow's filter language quotes strings with ' or "; a name holding ' is quoted with ". */
    static String nameFilter(String model) {
        return model.indexOf('\'') < 0 ? "name='" + model + "'" : "name=\"" + model + "\"";
    }

    private static <T> T required(String call, T value) {
        if (value == null) {
            throw MlflowException.unreadable(call, 200, "the answer lacks the expected object; is guardian.mlflow.url"
                    + " an MLflow 2.x tracking server?", null);
        }
        return value;
    }

    private <T> T call(String call, Supplier<T> attempt) {
        return retry.call(() -> once(call, attempt));
    }

    private static <T> T once(String call, Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (RuntimeException e) {
            throw classify(call, e);
        }
    }

    /** Every way a call can fail, as an MlflowException naming the call. */
    static MlflowException classify(String call, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MlflowException m) {
                return m.forCall(call);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JacksonException) {
                return MlflowException.unreadable(call, 200, "the answer is not the JSON this call returns (is"
                        + " guardian.mlflow.url an MLflow 2.x tracking server?)", e);
            }
            if (t instanceof SSLException) {
                // A certificate the trust store does not accept stays unaccepted: retrying cannot help.
                return MlflowException.unreadable(call, 0, "TLS handshake with MLflow failed (" + t.getClass()
                        .getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + "); if MLflow's"
                        + " certificate is signed by a private CA, set guardian.mlflow.ca-file to its PEM", e);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return MlflowException.transport(call, "cannot connect to MLflow (" + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage()) + ")", e);
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException
                    || t instanceof HttpTimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) {
                return MlflowException.transport(call, "no answer within guardian.mlflow.timeout", e);
            }
        }
        if (e instanceof ProcessingException && e.getCause() == null) {
            // The client found no reader for the answer's media type: a 2xx that is not JSON (a UI page, a proxy).
            // Its message is quoted for the reader (the media type), never used to decide.
            String message = String.valueOf(e.getMessage());
            int type = message.indexOf("media type ");
            return MlflowException.unreadable(call, 200, "the answer is not the JSON this call returns ("
                    + (type < 0 ? "" : message.substring(type) + "; ") + "is guardian.mlflow.url an MLflow 2.x"
                    + " tracking server?)", e);
        }
        if (e instanceof WebApplicationException w && w.getResponse() != null) {
            int status = w.getResponse().getStatus();
            return MlflowException.http(call, status, null, null, "unexpected answer");
        }
        if (e instanceof ProcessingException || e.getCause() instanceof IOException) {
            return MlflowException.transport(call, "connection failed (" + root(e) + ")", e);
        }
        return MlflowException.unreadable(call, 0, "the call failed (" + root(e) + ")", e);
    }

    private static String root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Adds the {@code Authorization} header; holds the only copy of the credentials. */
    private static final class Authorization implements ClientRequestFilter {
        private final String value;

        Authorization(String value) {
            this.value = value;
        }

        @Override
        public void filter(ClientRequestContext request) {
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, value);
        }

        @Override
        public String toString() {
            return "Authorization[" + value.substring(0, value.indexOf(' ')) + " ****]";
        }
    }
}
