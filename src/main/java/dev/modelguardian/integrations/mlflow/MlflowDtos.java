package dev.modelguardian.integrations.mlflow;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Request and response bodies of the MLflow REST API calls in {@link MlflowApi}, field for field as MLflow 2.10 writes
 * them. Ids and versions are strings; timestamps are epoch milliseconds. MLflow drops a key whose list is empty (an
 * empty search answers {@code {}}), so every list is empty, never null, when its key is missing. Unknown keys are
 * ignored: newer servers add fields.
 *
 * <p>Native image: these records appear in {@link MlflowApi}'s signatures, so the REST client extension registers
 * them for reflection; {@code app/NativeImage} lists them as well, so that its readiness test checks them.
 */
public final class MlflowDtos {

    private MlflowDtos() {
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    // ---- experiments --------------------------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExperimentResponse(Experiment experiment) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Experiment(@JsonProperty("experiment_id") String experimentId, String name,
            @JsonProperty("lifecycle_stage") String lifecycleStage,
            @JsonProperty("creation_time") Long creationTime,
            @JsonProperty("last_update_time") Long lastUpdateTime) {
    }

    // ---- registered models --------------------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RegisteredModelResponse(@JsonProperty("registered_model") RegisteredModel registeredModel) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RegisteredModel(String name, @JsonProperty("creation_timestamp") Long creationTimestamp,
            @JsonProperty("last_updated_timestamp") Long lastUpdatedTimestamp, String description,
            @JsonProperty("latest_versions") List<MlflowModelVersion> latestVersions, List<Alias> aliases) {

        public RegisteredModel {
            latestVersions = orEmpty(latestVersions);
            aliases = orEmpty(aliases);
        }
    }

    /**
     * Answer of {@code registered-models/search}: one page of registered models; {@code next_page_token} only when
     * another page exists. An empty result is {@code {}}, as for every MLflow list.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RegisteredModelsResponse(@JsonProperty("registered_models") List<RegisteredModel> registeredModels,
            @JsonProperty("next_page_token") String nextPageToken) {

        public RegisteredModelsResponse {
            registeredModels = orEmpty(registeredModels);
        }
    }

    /** One alias of a registered model as {@code registered-models/get} lists it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Alias(String alias, String version) {
    }

    // ---- model versions -----------------------------------------------------------------------------------------

    /** One model version, as {@code model-versions/get}, search and get-latest-versions return it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MlflowModelVersion(String name, String version,
            @JsonProperty("creation_timestamp") Long creationTimestamp,
            @JsonProperty("last_updated_timestamp") Long lastUpdatedTimestamp,
            @JsonProperty("current_stage") String currentStage, String description, String source,
            @JsonProperty("run_id") String runId, String status, List<String> aliases) {

        public MlflowModelVersion {
            aliases = orEmpty(aliases);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelVersionResponse(@JsonProperty("model_version") MlflowModelVersion modelVersion) {
    }

    /** Answer of get-latest-versions and of search; {@code next_page_token} only when another page exists. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelVersionsResponse(@JsonProperty("model_versions") List<MlflowModelVersion> modelVersions,
            @JsonProperty("next_page_token") String nextPageToken) {

        public ModelVersionsResponse {
            modelVersions = orEmpty(modelVersions);
        }
    }

    /** Body of {@code model-versions/transition-stage}; {@code version} is a string, a number is a 400. */
    public record TransitionStageRequest(String name, String version, String stage,
            @JsonProperty("archive_existing_versions") boolean archiveExistingVersions) {
    }

    /** Body of POST {@code registered-models/alias}. */
    public record SetAliasRequest(String name, String alias, String version) {
    }

    /** Body of DELETE {@code registered-models/alias}: MLflow reads DELETE parameters from the JSON body only. */
    public record DeleteAliasRequest(String name, String alias) {
    }

    // ---- runs and metrics ---------------------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunResponse(MlflowRun run) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MlflowRun(RunInfo info, RunData data) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunInfo(@JsonProperty("run_id") String runId, @JsonProperty("run_uuid") String runUuid,
            @JsonProperty("experiment_id") String experimentId, @JsonProperty("run_name") String runName,
            String status, @JsonProperty("start_time") Long startTime, @JsonProperty("end_time") Long endTime,
            @JsonProperty("lifecycle_stage") String lifecycleStage) {
    }

    /** A run's data; {@code metrics} (the latest value of each) is missing when the run logged none. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunData(List<Metric> metrics, List<Param> params, List<Tag> tags) {

        public RunData {
            metrics = orEmpty(metrics);
            params = orEmpty(params);
            tags = orEmpty(tags);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metric(String key, double value, long timestamp, long step) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Param(String key, String value) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tag(String key, String value) {
    }
}
