package dev.modelguardian.testing;

import static dev.modelguardian.testing.MlflowStandIn.RUN_1;
import static dev.modelguardian.testing.MlflowStandIn.RUN_2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in replays the reference recording (shared/reference/mlflow-rest-2.10.md, copied into
 * src/test/resources/mlflow/) byte for byte: the same requests in the same order get the same status, Content-Type
 * and body text. Plain JUnit: the stand-in needs no Quarkus.
 */
class MlflowStandInTest {

    private static final String Q = "?name=ticket-duration-predictor";
    private static MlflowStandIn mlflow;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        mlflow = MlflowStandIn.startNew();
    }

    @AfterAll
    static void stop() {
        mlflow.stop();
    }

    private void expect(String method, String pathAndQuery, String json, String recording) throws Exception {
        expect(method, pathAndQuery, json, "application/json", recording);
    }

    private void expect(String method, String pathAndQuery, String json, String contentType, String recording)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mlflow.url() + MlflowStandIn.API + "/"
                + pathAndQuery));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        MlflowStandIn.Recorded expected = MlflowStandIn.recorded(recording);

        assertThat(response.statusCode()).as(recording).isEqualTo(expected.status());
        assertThat(response.headers().firstValue("Content-Type")).as(recording)
                .hasValue(expected.headers().get("Content-Type"));
        assertThat(response.body()).as(recording).isEqualTo(expected.body());
    }

    @Test
    void givenTheRecordedRegistry_whenTheRecordedCallsAreReplayed_thenEveryAnswerEqualsTheRecordingByteForByte()
            throws Exception {
        mlflow.reset();
        mlflow.seedRecording();

        expect("GET", "experiments/get-by-name?experiment_name=orchestrator-predictive-models", null,
                "get-experiment-by-name");
        expect("GET", "experiments/get-by-name?experiment_name=no-such-experiment", null,
                "get-experiment-by-name-does-not-exist-404");
        expect("GET", "runs/get?run_id=" + RUN_1, null, "get-run-1");
        expect("GET", "metrics/get-history?run_id=" + RUN_1 + "&metric_key=mae", null, "metric-history-mae-run-1");
        expect("GET", "metrics/get-history?run_id=" + RUN_1 + "&metric_key=nope", null,
                "metric-history-for-unknown-key-empty");
        expect("GET", "runs/get?run_id=" + RUN_2, null, "get-run-2");
        expect("GET", "runs/get?run_id=0123456789abcdef0123456789abcdef", null, "get-run-unknown-id-404");
        expect("GET", "model-versions/get" + Q + "&version=1", null, "get-model-version-1");

        mlflow.now(1795547778498L);
        expect("POST", "model-versions/transition-stage", """
                {"name": "ticket-duration-predictor", "version": "1", "stage": "Production",
                 "archive_existing_versions": false}""", "transition-v1-to-production");
        expect("POST", "model-versions/transition-stage", """
                {"name": "ticket-duration-predictor", "version": "1", "stage": "Prod",
                 "archive_existing_versions": false}""", "transition-with-invalid-stage-400");
        expect("POST", "registered-models/get-latest-versions",
                "{\"name\": \"ticket-duration-predictor\", \"stages\": [\"Production\"]}",
                "get-latest-versions-stages-production-post");
        expect("GET", "registered-models/get-latest-versions" + Q, null,
                "get-latest-versions-stages-none-get-all-stages");
        expect("GET", "registered-models/get-latest-versions" + Q + "&stages=Staging", null,
                "get-latest-versions-stages-staging-get-no-match-no-model-versions-key");
        expect("POST", "registered-models/alias",
                "{\"name\": \"ticket-duration-predictor\", \"alias\": \"champion\", \"version\": \"2\"}",
                "set-alias-champion-v2");
        expect("GET", "registered-models/alias" + Q + "&alias=champion", null,
                "get-model-version-by-alias-champion");
        expect("GET", "registered-models/get" + Q, null, "get-registered-model-shows-aliases-latest-versions");

        mlflow.now(1795547779432L);
        expect("POST", "model-versions/transition-stage", """
                {"name": "ticket-duration-predictor", "version": "2", "stage": "Production",
                 "archive_existing_versions": true}""", "transition-v2-to-production-archive-existing-versions-true");
        expect("POST", "registered-models/get-latest-versions",
                "{\"name\": \"ticket-duration-predictor\", \"stages\": [\"Production\"]}",
                "get-latest-versions-stages-production-after-archive");
        expect("GET", "model-versions/search?filter=name%3D%27ticket-duration-predictor%27", null,
                "search-model-versions-by-name");
        expect("GET", "model-versions/search?filter=run_id%3D%27" + RUN_1 + "%27", null,
                "search-model-versions-by-run-id");
        expect("GET", "model-versions/search?filter=name%3D%27ticket-duration-predictor%27&max_results=1"
                + "&order_by=version_number%20DESC", null, "search-model-versions-get-max-results-order-by-paged");
        expect("DELETE", "registered-models/alias",
                "{\"name\": \"ticket-duration-predictor\", \"alias\": \"champion\"}",
                "delete-alias-champion-delete-with-json-body");
        expect("GET", "registered-models/alias" + Q + "&alias=champion", null,
                "get-by-alias-after-delete-http-400-invalid-parameter-value-not-404-in-2-10-2");
        expect("POST", "registered-models/alias",
                "{\"name\": \"ticket-duration-predictor\", \"alias\": \"champion\", \"version\": \"2\"}",
                "set-alias-champion-v2-again");
        expect("DELETE", "registered-models/alias" + Q + "&alias=champion", "",
                "delete-alias-champion-delete-with-query-string-only-400-delete-params-are-read-from-the-json-body-only");
        expect("GET", "registered-models/alias" + Q + "&alias=champion", null,
                "get-by-alias-after-failed-query-string-delete-alias-still-there");
        expect("GET", "model-versions/search?filter=name%3D%27no-such-model%27", null,
                "search-model-versions-no-match-no-model-versions-key");
        expect("POST", "registered-models/get-latest-versions",
                "{\"name\": \"no-such-model\", \"stages\": [\"Production\"]}",
                "get-latest-versions-of-unknown-model-404");
        expect("POST", "model-versions/transition-stage", """
                {"name": "ticket-duration-predictor", "version": "99", "stage": "Production",
                 "archive_existing_versions": false}""", "transition-unknown-version-404");
        expect("POST", "registered-models/alias",
                "{\"name\": \"ticket-duration-predictor\", \"alias\": \"challenger\", \"version\": \"99\"}",
                "set-alias-on-unknown-version-404");
        expect("POST", "registered-models/get-latest-versions",
                "{\"name\": \"ticket-duration-predictor\", \"stages\": [\"Archived\"]}",
                "get-latest-versions-stages-archived");
        expect("POST", "experiments/create", "{\"name\": \"x\"}", "text/plain",
                "post-with-content-type-text-plain-400");
        expect("POST", "experiments/get-by-name", "{\"experiment_name\": \"x\"}",
                "wrong-http-method-post-to-a-get-only-endpoint-405-html");
    }

    @Test
    void givenARecordingServedAsIs_whenRequested_thenTheFileIsAnsweredVerbatimAheadOfTheModel() throws Exception {
        mlflow.reset();
        mlflow.serveRecorded("GET", "runs/get", java.util.Map.of("run_id", RUN_1), "get-run-1");

        expect("GET", "runs/get?run_id=" + RUN_1, null, "get-run-1");
        expect("GET", "runs/get?run_id=0123456789abcdef0123456789abcdef", null, "get-run-unknown-id-404");
    }

    @Test
    void givenFailNextTwo_whenCalledThreeTimes_thenTwo503sThenTheAnswerAndTheJournalHasAllThree() throws Exception {
        mlflow.reset();
        mlflow.seedRecording();
        mlflow.failNext(2, 503);
        HttpRequest request = HttpRequest.newBuilder(URI.create(mlflow.url() + MlflowStandIn.API
                + "/runs/get?run_id=" + RUN_1)).build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(mlflow.requests("GET", "runs/get")).hasSize(3)
                .allSatisfy(call -> assertThat(call.param("run_id")).isEqualTo(RUN_1));
    }
}
