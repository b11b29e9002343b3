package dev.modelguardian.integrations.mlflow;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.modelguardian.integrations.mlflow.MlflowDtos.DeleteAliasRequest;
import dev.modelguardian.integrations.mlflow.MlflowDtos.ExperimentResponse;
import dev.modelguardian.integrations.mlflow.MlflowDtos.ModelVersionResponse;
import dev.modelguardian.integrations.mlflow.MlflowDtos.ModelVersionsResponse;
import dev.modelguardian.integrations.mlflow.MlflowDtos.RegisteredModelResponse;
import dev.modelguardian.integrations.mlflow.MlflowDtos.RegisteredModelsResponse;
import dev.modelguardian.integrations.mlflow.MlflowDtos.RunResponse;
import dev.modelguardian.integrations.mlflow.MlflowDtos.SetAliasRequest;
import dev.modelguardian.integrations.mlflow.MlflowDtos.TransitionStageRequest;

/**
 * The calls of the MLflow REST API (2.x) the guardian makes, built by {@link MlflowClient} with
 * {@code QuarkusRestClientBuilder}. GET parameters go in the query string, list parameters as a repeated key
 * ({@code stages=A&stages=B}: MLflow answers {@code stages[]=} with a 500); POST and DELETE parameters go in a JSON
 * body ({@code Content-Type: application/json}; MLflow ignores the query string of a DELETE). Error answers are turned
 * into {@link MlflowException} by {@link MlflowErrorMapper}.
 */
@Path("/api/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
public interface MlflowApi {

    @GET
    @Path("/experiments/get-by-name")
    ExperimentResponse getExperimentByName(@QueryParam("experiment_name") String experimentName);

    @GET
    @Path("/registered-models/get")
    RegisteredModelResponse getRegisteredModel(@QueryParam("name") String name);

    /** One page of registered models (every model when {@code filter} is null), at most {@code maxResults} (1000). */
    @GET
    @Path("/registered-models/search")
    RegisteredModelsResponse searchRegisteredModels(@QueryParam("filter") String filter,
            @QueryParam("max_results") Integer maxResults, @QueryParam("page_token") String pageToken);

    /** Latest version per stage; {@code stages} null or empty means every stage. */
    @GET
    @Path("/registered-models/get-latest-versions")
    ModelVersionsResponse getLatestVersions(@QueryParam("name") String name,
            @QueryParam("stages") List<String> stages);

    /** One page of a model-version search; {@code pageToken} null for the first page. */
    @GET
    @Path("/model-versions/search")
    ModelVersionsResponse searchModelVersions(@QueryParam("filter") String filter,
            @QueryParam("max_results") Integer maxResults, @QueryParam("order_by") List<String> orderBy,
            @QueryParam("page_token") String pageToken);

    @GET
    @Path("/model-versions/get")
    ModelVersionResponse getModelVersion(@QueryParam("name") String name, @QueryParam("version") String version);

    @POST
    @Path("/model-versions/transition-stage")
    @Consumes(MediaType.APPLICATION_JSON)
    ModelVersionResponse transitionStage(TransitionStageRequest request);

    /** Sets (or moves) an alias; MLflow answers {@code {}}. */
    @POST
    @Path("/registered-models/alias")
    @Consumes(MediaType.APPLICATION_JSON)
    void setAlias(SetAliasRequest request);

    /** The version an alias points to; a missing alias is a 400 INVALID_PARAMETER_VALUE in MLflow 2.x. */
    @GET
    @Path("/registered-models/alias")
    ModelVersionResponse getModelVersionByAlias(@QueryParam("name") String name, @QueryParam("alias") String alias);

    /** Deletes an alias; the parameters must be in the JSON body. */
    @DELETE
    @Path("/registered-models/alias")
    @Consumes(MediaType.APPLICATION_JSON)
    void deleteAlias(DeleteAliasRequest request);

    @GET
    @Path("/runs/get")
    RunResponse getRun(@QueryParam("run_id") String runId);
}
