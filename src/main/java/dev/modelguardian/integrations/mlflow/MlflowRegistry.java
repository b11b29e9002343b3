package dev.modelguardian.integrations.mlflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.registry.Run;
import dev.modelguardian.integrations.mlflow.MlflowDtos.Metric;
import dev.modelguardian.integrations.mlflow.MlflowDtos.MlflowModelVersion;
import dev.modelguardian.integrations.mlflow.MlflowDtos.MlflowRun;
import dev.modelguardian.integrations.mlflow.MlflowDtos.ModelVersionsResponse;

/**
 * The {@link ModelRegistry} of a real MLflow tracking server (2.x), over {@link MlflowClient}. Every failure is a
 * {@link RegistryException} whose message names the MLflow call, the HTTP status and MLflow's error code and message,
 * {@linkplain RegistryException#retryable() retryable} when the client's own retries of a connection error, timeout
 * or 5xx did not help. Create one with {@link #create(MlflowSettings)}.
 */
public final class MlflowRegistry implements ModelRegistry {

    /** Versions asked for per page of {@code model-versions/search}. */
    static final int PAGE_SIZE = 100;
    private static final String PRODUCTION = "Production";

    private final MlflowClient client;
    private final int pageSize;

    MlflowRegistry(MlflowClient client, int pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    /**
     * The registry at {@code guardian.mlflow.url} with the configured credentials, CA, timeout and retries.
     *
     * @throws IllegalStateException when {@code guardian.mlflow.url} is not set
     */
    public static MlflowRegistry create(MlflowSettings config) {
        return new MlflowRegistry(new MlflowClient(config), PAGE_SIZE);
    }

    /** The client underneath, for the calls the port does not cover (e.g. a metric's history). */
    public MlflowClient client() {
        return client;
    }

    @Override
    public Optional<ModelVersion> serving(RegistryModel model) {
        return guarded(() -> switch (model.mode()) {
            case STAGE -> client.latestVersions(model.name(), List.of(PRODUCTION)).stream()
                    .filter(v -> PRODUCTION.equalsIgnoreCase(v.currentStage()))
                    .max(Comparator.comparingLong(v -> versionNumber(v.version())))
                    .map(MlflowRegistry::toVersion);
            case ALIAS -> client.versionByAlias(model.name(), model.alias()).map(MlflowRegistry::toVersion);
        });
    }

    @Override
    public List<ModelVersion> versionsSince(String model, Instant since) {
        return guarded(() -> {
            long sinceMillis = since.toEpochMilli();
            List<ModelVersion> out = new ArrayList<>();
            String token = null;
            do {
                ModelVersionsResponse page = client.searchVersions(model, pageSize, token);
                boolean older = false;
                for (MlflowModelVersion v : page.modelVersions()) {
                    long created = v.creationTimestamp() == null ? 0 : v.creationTimestamp();
                    if (created >= sinceMillis) {
                        out.add(toVersion(v));
                    } else {
                        older = true;
                    }
                }
                // Pages come newest first: once one holds a version older than since, no later page can add any.
                token = older ? null : page.nextPageToken();
            } while (token != null && !token.isEmpty());
            out.sort(Comparator.comparing(ModelVersion::created)
                    .thenComparingLong(v -> versionNumber(v.version())).reversed());
            return List.copyOf(out);
        });
    }

    @Override
    public ModelVersion version(String model, String version) {
        return guarded(() -> toVersion(client.modelVersion(model, version)));
    }

    @Override
    public Run run(String runId) {
        return guarded(() -> {
            MlflowRun run = client.run(runId);
            if (run.info() == null) {
                throw MlflowException.unreadable("GET runs/get", 200, "the run has no info", null);
            }
            Map<String, Double> metrics = new HashMap<>();
            if (run.data() != null) {
                for (Metric m : run.data().metrics()) {
                    metrics.put(m.key(), m.value());
                }
            }
            String id = run.info().runId() != null ? run.info().runId() : run.info().runUuid();
            return new Run(id == null ? runId : id, run.info().experimentId(), run.info().status(), metrics);
        });
    }

    @Override
    public Optional<String> experimentId(String name) {
        return guarded(() -> client.experimentByName(name).map(MlflowDtos.Experiment::experimentId));
    }

    @Override
    public void promote(RegistryModel model, String version) {
        guarded(() -> {
            switch (model.mode()) {
                case STAGE -> client.transitionStage(model.name(), version, PRODUCTION, true);
                case ALIAS -> client.setAlias(model.name(), model.alias(), version);
            }
            return null;
        });
    }

    @Override
    public void clearAlias(RegistryModel model) {
        guarded(() -> client.deleteAlias(model.name(), model.alias()));
    }

    @Override
    public String toString() {
        return "MlflowRegistry[" + client + "]";
    }

    static ModelVersion toVersion(MlflowModelVersion v) {
        return new ModelVersion(v.name(), v.version(),
                Instant.ofEpochMilli(v.creationTimestamp() == null ? 0 : v.creationTimestamp()),
                v.currentStage() == null ? "None" : v.currentStage(), status(v.status()),
                Optional.ofNullable(v.runId()).filter(id -> !id.isBlank()), v.aliases());
    }

    /** MLflow's ModelVersionStatus; a missing or unknown status counts as not yet READY, so it is never used. */
    static ModelVersion.Status status(String status) {
        if (status == null) {
            return ModelVersion.Status.PENDING_REGISTRATION;
        }
        return switch (status) {
            case "READY" -> ModelVersion.Status.READY;
            case "FAILED_REGISTRATION" -> ModelVersion.Status.FAILED_REGISTRATION;
            default -> ModelVersion.Status.PENDING_REGISTRATION;
        };
    }

    private static long versionNumber(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }

    private static <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (MlflowException e) {
            throw new RegistryException(e.getMessage(), e.retryable(), e);
        }
    }
}
