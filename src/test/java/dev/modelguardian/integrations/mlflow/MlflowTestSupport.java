package dev.modelguardian.integrations.mlflow;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

import dev.modelguardian.integrations.mlflow.MlflowDtos.Metric;
import dev.modelguardian.integrations.mlflow.MlflowDtos.MlflowModelVersion;
import dev.modelguardian.integrations.mlflow.MlflowDtos.ModelVersionsResponse;
import dev.modelguardian.testing.TestConfigs;

/**
 * Configurations of the MLflow client for the tests (fast backoff, short timeout), and the MLflow reads only tests
 * make: every version across pages, a metric's history.
 */
final class MlflowTestSupport {

    private MlflowTestSupport() {
    }

    /** Every version of {@code model}, newest first, following the page token of {@code client}'s search. */
    static List<MlflowModelVersion> allVersions(MlflowClient client, String model, int pageSize) {
        List<MlflowModelVersion> all = new ArrayList<>();
        String token = null;
        do {
            ModelVersionsResponse page = client.searchVersions(model, pageSize, token);
            all.addAll(page.modelVersions());
            token = page.nextPageToken();
        } while (token != null && !token.isEmpty());
        return all;
    }

    /** {@code GET metrics/get-history} of MLflow 2.x, which the guardian itself never calls. */
    @Path("/api/2.0/mlflow")
    @Produces(MediaType.APPLICATION_JSON)
    interface MetricHistoryApi {
        @GET
        @Path("/metrics/get-history")
        MetricHistory getMetricHistory(@QueryParam("run_id") String runId, @QueryParam("metric_key") String key);
    }

    /** Answer of {@code metrics/get-history}: {@code {}} for an unknown key. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MetricHistory(List<Metric> metrics) {
        MetricHistory {
            metrics = metrics == null ? List.of() : List.copyOf(metrics);
        }
    }

    /**
     * Every logged value of one metric of a run at the MLflow at {@code url}, in MLflow's order; empty for a key the
     * run never logged. Errors become {@link MlflowException} as in {@link MlflowClient}.
     */
    static List<Metric> metricHistory(String url, String runId, String key) {
        MetricHistoryApi api = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                .register(new MlflowErrorMapper()).build(MetricHistoryApi.class);
        return api.getMetricHistory(runId, key).metrics();
    }

    /**
     * {@code guardian.mlflow.*} with the url and extra YAML lines (indented under mlflow); timeout 2s and backoff 10ms
     * unless a line sets them.
     */
    static MlflowSettings config(String url, String... lines) {
        StringBuilder yaml = new StringBuilder("guardian:\n  mlflow:\n    url: " + url + "\n");
        boolean timeout = false;
        boolean backoff = false;
        for (String line : lines) {
            timeout |= line.startsWith("timeout:");
            backoff |= line.startsWith("retry-backoff:");
            yaml.append("    ").append(line).append('\n');
        }
        yaml.append(timeout ? "" : "    timeout: 2s\n").append(backoff ? "" : "    retry-backoff: 10ms\n");
        return TestConfigs.settings(yaml.toString()).of(MlflowSettings.class);
    }
}
