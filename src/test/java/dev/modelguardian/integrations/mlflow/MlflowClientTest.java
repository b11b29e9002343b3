package dev.modelguardian.integrations.mlflow;

import static dev.modelguardian.testing.MlflowStandIn.RECORDED_MODEL;
import static dev.modelguardian.testing.MlflowStandIn.RUN_1;
import static dev.modelguardian.testing.MlflowStandIn.RUN_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.modelguardian.integrations.mlflow.MlflowDtos.MlflowModelVersion;
import dev.modelguardian.integrations.mlflow.MlflowDtos.ModelVersionsResponse;
import dev.modelguardian.testing.MlflowStandIn;

/**
 * Every call of {@link MlflowClient} and every quirk of MLflow 2.10 against the stand-in. {@code @QuarkusTest}
 * because the REST client can only be built inside a running Quarkus application (outside one it throws "needs to be
 * built within the context of a Quarkus application with a valid ArC (CDI) context running").
 */
@QuarkusTest
@QuarkusTestResource(value = MlflowStandIn.class, restrictToAnnotatedClass = true)
class MlflowClientTest {

    @MlflowStandIn.InjectMlflow
    MlflowStandIn mlflow;

    MlflowClient client;

    @BeforeEach
    void seed() {
        mlflow.reset();
        mlflow.seedRecording();
        client = new MlflowClient(MlflowTestSupport.config(mlflow.url()));
    }

    // ---- experiments ----------------------------------------------------------------------------------------------

    @Test
    void givenExperimentExists_whenReadByName_thenItsStringIdAndName() {
        var experiment = client.experimentByName("orchestrator-predictive-models");

        assertThat(experiment).hasValueSatisfying(e -> {
            assertThat(e.experimentId()).isEqualTo("1");
            assertThat(e.name()).isEqualTo("orchestrator-predictive-models");
            assertThat(e.creationTime()).isEqualTo(1795547775512L);
        });
        assertThat(mlflow.requests("GET", "experiments/get-by-name").get(0).param("experiment_name"))
                .isEqualTo("orchestrator-predictive-models");
    }

    @Test
    void givenExperimentMissing_whenReadByName_thenEmptyFromThe404() {
        assertThat(client.experimentByName("no-such-experiment")).isEmpty();
        assertThat(mlflow.requests("GET", "experiments/get-by-name")).hasSize(1);
    }

    // ---- registered models and latest versions --------------------------------------------------------------------

    @Test
    void givenModelWithProductionVersionAndAlias_whenRegisteredModelRead_thenLatestVersionsAndAliases() {
        mlflow.model(RECORDED_MODEL).stage("1", "Production").alias("champion", "2");

        var model = client.registeredModel(RECORDED_MODEL);

        assertThat(model.name()).isEqualTo(RECORDED_MODEL);
        assertThat(model.latestVersions()).extracting(MlflowModelVersion::version, MlflowModelVersion::currentStage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", "Production"),
                        org.assertj.core.groups.Tuple.tuple("2", "None"));
        assertThat(model.aliases()).containsExactly(new MlflowDtos.Alias("champion", "2"));
    }

    @Test
    void givenSeveralRegisteredModels_whenNamesListed_thenEveryNameInOneCallWithMaxResults() {
        mlflow.model("ticket-anomaly-detector");

        assertThat(client.registeredModelNames(1000)).containsExactly("ticket-anomaly-detector", RECORDED_MODEL);
        assertThat(mlflow.requests("GET", "registered-models/search")).singleElement()
                .satisfies(c -> assertThat(c.param("max_results")).isEqualTo("1000"));
    }

    @Test
    void givenNoRegisteredModel_whenNamesListed_thenEmptyFromTheEmptyAnswer() {
        mlflow.reset();

        assertThat(client.registeredModelNames(10)).isEmpty();
    }

    @Test
    void givenTwoStages_whenLatestVersionsRead_thenTheStagesKeyIsRepeatedInTheQueryString() {
        mlflow.model(RECORDED_MODEL).stage("1", "Production").stage("2", "Staging");

        List<MlflowModelVersion> latest = client.latestVersions(RECORDED_MODEL, List.of("Production", "Staging"));

        assertThat(latest).extracting(MlflowModelVersion::version).containsExactly("1", "2");
        MlflowStandIn.Call call = mlflow.requests("GET", "registered-models/get-latest-versions").get(0);
        assertThat(call.query().get("stages")).containsExactly("Production", "Staging");
        assertThat(call.query()).doesNotContainKey("stages[]");
    }

    @Test
    void givenNoVersionInTheStage_whenLatestVersionsRead_thenEmptyListFromTheEmptyObject() {
        assertThat(client.latestVersions(RECORDED_MODEL, List.of("Staging"))).isEmpty();
    }

    @Test
    void givenUnknownModel_whenLatestVersionsRead_thenNotRetryableErrorWithCodeMessageAndCall() {
        MlflowException e = catchThrowableOfType(MlflowException.class,
                () -> client.latestVersions("no-such-model", List.of("Production")));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errorCode()).hasValue("RESOURCE_DOES_NOT_EXIST");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("MLflow GET registered-models/get-latest-versions failed: HTTP 404"
                + " RESOURCE_DOES_NOT_EXIST: Registered Model with name=no-such-model not found");
        assertThat(mlflow.requests()).hasSize(1);
    }

    // ---- search ---------------------------------------------------------------------------------------------------

    @Test
    void givenSearchMatchesNothing_whenSearched_thenEmptyListAndNoNextPage() {
        ModelVersionsResponse page = client.searchVersions("no-such-model", 100, null);

        assertThat(page.modelVersions()).isEmpty();
        assertThat(page.nextPageToken()).isNull();
    }

    @Test
    void givenFiveVersionsAndPagesOfTwo_whenAllVersionsRead_thenThreePagesFollowTheTokenNewestFirst() {
        MlflowStandIn.Model model = mlflow.model("many");
        for (int v = 1; v <= 5; v++) {
            model.version(String.valueOf(v), Instant.ofEpochMilli(1_000_000L * v), Map.of("mae", 10.0 + v));
        }

        List<MlflowModelVersion> all = MlflowTestSupport.allVersions(client, "many", 2);

        assertThat(all).extracting(MlflowModelVersion::version).containsExactly("5", "4", "3", "2", "1");
        List<MlflowStandIn.Call> calls = mlflow.requests("GET", "model-versions/search");
        assertThat(calls).hasSize(3);
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.param("filter")).isEqualTo("name='many'");
            assertThat(c.param("max_results")).isEqualTo("2");
            assertThat(c.param("order_by")).isEqualTo("creation_timestamp DESC");
        });
        assertThat(calls.get(0).param("page_token")).isNull();
        assertThat(new String(Base64.getDecoder().decode(calls.get(2).param("page_token")), StandardCharsets.UTF_8))
                .isEqualTo("{\"offset\": 4}");
    }

    // ---- model versions -------------------------------------------------------------------------------------------

    @Test
    void givenRecordedVersion_whenRead_thenEveryFieldAsRecorded() {
        MlflowModelVersion v = client.modelVersion(RECORDED_MODEL, "1");

        assertThat(v.version()).isEqualTo("1");
        assertThat(v.creationTimestamp()).isEqualTo(1795547778070L);
        assertThat(v.currentStage()).isEqualTo("None");
        assertThat(v.runId()).isEqualTo(RUN_1);
        assertThat(v.status()).isEqualTo("READY");
        assertThat(v.aliases()).isEmpty();
    }

    @Test
    void givenUnknownVersion_whenRead_thenErrorNamesTheCallTheCodeAndMlflowsMessage() {
        assertThatThrownBy(() -> client.modelVersion(RECORDED_MODEL, "99")).isInstanceOf(MlflowException.class)
                .hasMessage("MLflow GET model-versions/get failed: HTTP 404 RESOURCE_DOES_NOT_EXIST: Model Version"
                        + " (name=ticket-duration-predictor, version=99) not found");
    }

    @Test
    void givenPromotion_whenTransitionStageCalled_thenJsonBodyHasStringVersionAndArchiveExistingVersions() {
        mlflow.model(RECORDED_MODEL).stage("1", "Production");

        MlflowModelVersion v = client.transitionStage(RECORDED_MODEL, "2", "Production", true);

        assertThat(v.currentStage()).isEqualTo("Production");
        assertThat(mlflow.model(RECORDED_MODEL).stageOf("1")).isEqualTo("Archived");
        MlflowStandIn.Call call = mlflow.requests("POST", "model-versions/transition-stage").get(0);
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertThat(call.json().get("version").isTextual()).isTrue();
        assertThat(call.json().get("version").asText()).isEqualTo("2");
        assertThat(call.json().get("stage").asText()).isEqualTo("Production");
        assertThat(call.json().get("archive_existing_versions").asBoolean()).isTrue();
    }

    // ---- aliases --------------------------------------------------------------------------------------------------

    @Test
    void givenAliasSet_whenReadByAlias_thenTheVersionWithTheAlias() {
        client.setAlias(RECORDED_MODEL, "champion", "2");

        assertThat(client.versionByAlias(RECORDED_MODEL, "champion"))
                .hasValueSatisfying(v -> assertThat(v.aliases()).containsExactly("champion"));
        MlflowStandIn.Call set = mlflow.requests("POST", "registered-models/alias").get(0);
        assertThat(set.json().toString())
                .isEqualTo("{\"name\":\"ticket-duration-predictor\",\"alias\":\"champion\",\"version\":\"2\"}");
    }

    @Test
    void givenAliasMissing_whenReadByAlias_thenEmptyFromThe400InvalidParameterValueConfirmedByTheAliasList() {
        assertThat(client.versionByAlias(RECORDED_MODEL, "champion")).isEmpty();
        assertThat(mlflow.requests()).extracting(MlflowStandIn.Call::path).containsExactly(
                MlflowStandIn.API + "/registered-models/alias", MlflowStandIn.API + "/registered-models/get");
    }

    @Test
    void givenAliasSetButTheServerAnswers400_whenReadByAlias_thenTheErrorIsNotTakenForAMissingAlias() {
        mlflow.model(RECORDED_MODEL).alias("champion", "2");
        mlflow.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                        MlflowStandIn.API + "/registered-models/alias"))
                .atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(MlflowStandIn.recorded(
                                "get-by-alias-after-delete-http-400-invalid-parameter-value-not-404-in-2-10-2")
                                .body())));

        MlflowException e = catchThrowableOfType(MlflowException.class,
                () -> client.versionByAlias(RECORDED_MODEL, "champion"));

        assertThat(e.is(400, MlflowException.INVALID_PARAMETER_VALUE)).isTrue();
    }

    @Test
    void givenAlias_whenDeleted_thenTheDeleteCarriesAJsonBodyAndNoQueryAndTheAliasIsGone() {
        mlflow.model(RECORDED_MODEL).alias("champion", "2");

        assertThat(client.deleteAlias(RECORDED_MODEL, "champion")).isTrue();

        assertThat(mlflow.model(RECORDED_MODEL).aliasTarget("champion")).isEmpty();
        MlflowStandIn.Call call = mlflow.requests("DELETE", "registered-models/alias").get(0);
        assertThat(call.query()).isEmpty();
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertThat(call.json().get("name").asText()).isEqualTo(RECORDED_MODEL);
        assertThat(call.json().get("alias").asText()).isEqualTo("champion");
    }

    @Test
    void givenAliasAlreadyMissingAndServerAnswers400_whenDeleted_thenFalseAndNoError() {
        mlflow.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .delete(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                        MlflowStandIn.API + "/registered-models/alias"))
                .atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(MlflowStandIn.recorded(
                                "get-by-alias-after-delete-http-400-invalid-parameter-value-not-404-in-2-10-2")
                                .body())));

        assertThat(client.deleteAlias(RECORDED_MODEL, "champion")).isFalse();
    }

    @Test
    void givenAliasOnUnknownVersion_whenSet_thenNotRetryable404() {
        MlflowException e = catchThrowableOfType(MlflowException.class,
                () -> client.setAlias(RECORDED_MODEL, "challenger", "99"));

        assertThat(e.is(404, MlflowException.RESOURCE_DOES_NOT_EXIST)).isTrue();
        assertThat(e.call()).isEqualTo("POST registered-models/alias");
        assertThat(mlflow.requests()).hasSize(1);
    }

    // ---- runs and metrics -----------------------------------------------------------------------------------------

    @Test
    void givenRecordedRun_whenRead_thenInfoAndLatestMetricValues() {
        var run = client.run(RUN_1);

        assertThat(run.info().runId()).isEqualTo(RUN_1);
        assertThat(run.info().experimentId()).isEqualTo("1");
        assertThat(run.info().status()).isEqualTo("FINISHED");
        assertThat(run.data().metrics()).extracting(MlflowDtos.Metric::key, MlflowDtos.Metric::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mae", 12.7),
                        org.assertj.core.groups.Tuple.tuple("precision", 0.81));
    }

    @Test
    void givenRunWithoutMetrics_whenRead_thenEmptyMetricsNotNull() {
        mlflow.run("00000000000000000000000000000000", "1", "bare", "FINISHED", 1L, 2L, Map.of());

        assertThat(client.run("00000000000000000000000000000000").data().metrics()).isEmpty();
    }

    @Test
    void givenMetricHistory_whenRead_thenEveryStepAndUnknownKeyIsEmpty() {
        assertThat(MlflowTestSupport.metricHistory(mlflow.url(), RUN_1, "mae"))
                .extracting(MlflowDtos.Metric::step, MlflowDtos.Metric::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 14.2),
                        org.assertj.core.groups.Tuple.tuple(1L, 12.7));
        assertThat(MlflowTestSupport.metricHistory(mlflow.url(), RUN_1, "nope")).isEmpty();
        assertThat(client.run(RUN_2).info().endTime()).isNull();
    }

    // ---- answers that are not MLflow's JSON -----------------------------------------------------------------------

    @Test
    void givenServerAnswers405Html_whenCalled_thenClearMethodNotAllowedErrorNoParseErrorAndNoRetry() {
        mlflow.serveRecorded("GET", "runs/get", Map.of(), "wrong-http-method-post-to-a-get-only-endpoint-405-html");

        MlflowException e = catchThrowableOfType(MlflowException.class, () -> client.run(RUN_1));

        assertThat(e.status()).isEqualTo(405);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("MLflow GET runs/get failed: HTTP 405: method not allowed")
                .contains("guardian.mlflow.url").contains("405 Method Not Allowed")
                .doesNotContainIgnoringCase("jackson").doesNotContain("Unexpected character");
        assertThat(mlflow.requests()).hasSize(1);
    }

    @Test
    void givenUrlThatIsNotMlflowAnswering200Html_whenCalled_thenNotRetryableErrorSayingTheAnswerIsNotMlflowJson() {
        mlflow.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/html").withBody("<html><title>MLflow</title></html>")));

        MlflowException e = catchThrowableOfType(MlflowException.class, () -> client.run(RUN_1));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("MLflow GET runs/get failed: HTTP 200: the answer is not the JSON")
                .contains("text/html").contains("guardian.mlflow.url");
        assertThat(mlflow.requests()).hasSize(1);
    }

    // ---- retries --------------------------------------------------------------------------------------------------

    @Test
    void givenTwo503s_whenCalled_thenRetriedAndTheThirdAttemptAnswers() {
        mlflow.failNext(2, 503);

        assertThat(client.modelVersion(RECORDED_MODEL, "1").version()).isEqualTo("1");
        assertThat(mlflow.requests("GET", "model-versions/get")).hasSize(3);
    }

    @Test
    void givenPersistent503_whenCalled_thenOneAttemptPlusThreeRetriesThenRetryableError() {
        mlflow.failWith(503);

        MlflowException e = catchThrowableOfType(MlflowException.class,
                () -> client.modelVersion(RECORDED_MODEL, "1"));

        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("GET model-versions/get").contains("HTTP 503")
                .contains("gave up after 4 attempts");
        assertThat(mlflow.requests()).hasSize(4);
    }

    @Test
    void given400_whenCalled_thenExactlyOneRequest() {
        assertThatThrownBy(() -> client.transitionStage(RECORDED_MODEL, "1", "Prod", false))
                .isInstanceOf(MlflowException.class).hasMessageContaining("HTTP 400 INVALID_PARAMETER_VALUE")
                .hasMessageContaining("Invalid Model Version stage: Prod");
        assertThat(mlflow.requests()).hasSize(1);
    }

    @Test
    void given404_whenCalled_thenExactlyOneRequest() {
        assertThatThrownBy(() -> client.run("0123456789abcdef0123456789abcdef")).isInstanceOf(MlflowException.class)
                .hasMessageContaining("HTTP 404 RESOURCE_DOES_NOT_EXIST");
        assertThat(mlflow.requests()).hasSize(1);
    }

    @Test
    void givenHungServer_whenCalled_thenEachAttemptTimesOutAndTheErrorIsRetryableAfterTheConfiguredRetries() {
        mlflow.hang(5_000);
        MlflowClient impatient = new MlflowClient(MlflowTestSupport.config(mlflow.url(), "timeout: 500ms",
                "retries: 1"));
        long start = System.nanoTime();

        MlflowException e = catchThrowableOfType(MlflowException.class, () -> impatient.run(RUN_1));

        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isZero();
        assertThat(e.getMessage()).contains("GET runs/get").contains("gave up after 2 attempts");
        assertThat(mlflow.requests()).hasSize(2);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
        mlflow.heal();
    }

    @Test
    void givenNothingListening_whenCalled_thenRetryableConnectionError() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        MlflowClient nowhere = new MlflowClient(MlflowTestSupport.config("http://127.0.0.1:" + port, "retries: 1"));

        MlflowException e = catchThrowableOfType(MlflowException.class, () -> nowhere.run(RUN_1));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("GET runs/get").contains("gave up after 2 attempts");
    }

    // ---- credentials ----------------------------------------------------------------------------------------------

    @Test
    void givenToken_whenCalled_thenBearerHeaderIsSent() {
        MlflowClient withToken = new MlflowClient(MlflowTestSupport.config(mlflow.url(), "token: t0ken-123"));

        withToken.run(RUN_1);

        assertThat(mlflow.requests().get(0).header("Authorization")).isEqualTo("Bearer t0ken-123");
    }

    @Test
    void givenBasicAuth_whenCalled_thenBasicHeaderIsSent() {
        MlflowClient withBasic = new MlflowClient(MlflowTestSupport.config(mlflow.url(), "username: guardian",
                "password: pa55"));

        withBasic.run(RUN_1);

        assertThat(mlflow.requests().get(0).header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("guardian:pa55".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void givenNoCredentials_whenCalled_thenNoAuthorizationHeader() {
        client.run(RUN_1);

        assertThat(mlflow.requests().get(0).header("Authorization")).isNull();
    }

    // ---- https with a private CA ----------------------------------------------------------------------------------

    /** A self-signed certificate for localhost and 127.0.0.1 (its own CA), made with the JDK's keytool. */
    static Path[] certificate(Path dir) throws IOException, InterruptedException {
        Path keyStore = dir.resolve("mlflow.p12");
        Path pem = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "mlflow", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "mlflow", "-keystore", keyStore.toString(), "-storepass",
                "changeit", "-file", pem.toString());
        return new Path[] { keyStore, pem };
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    @Test
    void givenHttpsWithAPrivateCa_whenCaFileConfigured_thenCallsSucceedAndWithoutItTheTlsErrorSaysSetCaFile(
            @TempDir Path dir) throws Exception {
        Path[] files = certificate(dir);
        MlflowStandIn https = MlflowStandIn.startNewHttps(files[0].toString(), "changeit");
        try {
            https.seedRecording();
            MlflowClient trusting = new MlflowClient(MlflowTestSupport.config(https.url(), "ca-file: " + files[1]));
            MlflowClient untrusting = new MlflowClient(MlflowTestSupport.config(https.url()));

            assertThat(https.url()).startsWith("https://");
            assertThat(trusting.run(RUN_1).info().runId()).isEqualTo(RUN_1);
            MlflowException e = catchThrowableOfType(MlflowException.class, () -> untrusting.run(RUN_1));
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("TLS handshake").contains("guardian.mlflow.ca-file");
        } finally {
            https.stop();
        }
    }
}
