package dev.modelguardian.core.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The model registry as the remediation needs it: MLflow in production ({@code MlflowRegistry}), memory in replay
 * and tests ({@code InMemoryModelRegistry}). Every call either answers or throws {@link RegistryException}; none
 * returns a half-read answer.
 */
public interface ModelRegistry {

    /**
     * The version serving now: the newest version in stage Production ({@link RegistryModel.Mode#STAGE}) or the
     * version the alias points to ({@link RegistryModel.Mode#ALIAS}); empty when there is none.
     */
    Optional<ModelVersion> serving(RegistryModel model);

    /** Every version of {@code model} registered at or after {@code since}, newest first, across all result pages. */
    List<ModelVersion> versionsSince(String model, Instant since);

    /** One version. */
    ModelVersion version(String model, String version);

    /** The run with its latest metric values. */
    Run run(String runId);

    /** The id of the experiment called {@code name}; empty when there is none. */
    Optional<String> experimentId(String name);

    /**
     * Makes {@code version} the serving version: in stage mode a transition to Production that archives the versions
     * there now; in alias mode the alias is moved. Idempotent: promoting the serving version again changes nothing
     * that matters.
     */
    void promote(RegistryModel model, String version);

    /** Alias mode: removes the alias (a snapshot in which the alias did not exist is restored this way). */
    void clearAlias(RegistryModel model);

    /**
     * A registry call failed. {@code retryable} when the same call may succeed later (connection refused, timeout,
     * 5xx after the client's own retries); false for answers that will not change (404, 400, 403).
     */
    final class RegistryException extends RuntimeException {
        private final boolean retryable;

        public RegistryException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
