package dev.modelguardian.integrations.mlflow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The MLflow tracking server whose model registry the guardian reads and promotes in, {@code guardian.mlflow.*}:
 * its REST API ({@code /api/2.0/mlflow/...}). Credentials are never logged and never appear in error messages.
 */
@ConfigMapping(prefix = "guardian.mlflow")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the providers read it through
// Settings.of, not by injection.
@Unremovable
public interface MlflowSettings {
    /**
     * Base URL of the MLflow tracking server, without {@code /api}, e.g. {@code http://mlflow.mlflow:5000} (env
     * {@code GUARDIAN_MLFLOW_URL}). Required by commands that read or change the model registry.
     */
    Optional<String> url();

    /**
     * Bearer token sent as {@code Authorization: Bearer ...} (env {@code GUARDIAN_MLFLOW_TOKEN}, mounted from a
     * Secret); never logged. Exclusive with {@link #username()}/{@link #password()}.
     */
    Optional<String> token();

    /** User name for HTTP basic auth (with {@link #password()}), e.g. MLflow's basic-auth app. */
    Optional<String> username();

    /** Password for HTTP basic auth, mounted from a Secret (env {@code GUARDIAN_MLFLOW_PASSWORD}); never logged. */
    Optional<String> password();

    /** PEM file of the CA that signed MLflow's certificate, for https with a private CA. */
    Optional<Path> caFile();

    /** Timeout of one HTTP call to MLflow: connecting, and waiting for the answer, each. */
    @WithDefault("10s")
    Duration timeout();

    /**
     * How many times a failed call is repeated before it fails. Only connection errors, timeouts and 5xx answers are
     * retried; a 4xx answer never is. {@code 0} disables retries.
     */
    @WithDefault("3")
    int retries();

    /**
     * Wait before the first retry; each further retry waits twice as long as the one before, with random jitter
     * (up to half the wait) so that replicas do not retry in step.
     */
    @WithDefault("500ms")
    Duration retryBackoff();
}
