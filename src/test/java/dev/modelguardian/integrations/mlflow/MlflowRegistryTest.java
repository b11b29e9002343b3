package dev.modelguardian.integrations.mlflow;

import static dev.modelguardian.testing.MlflowStandIn.RECORDED_MODEL;
import static dev.modelguardian.testing.MlflowStandIn.RUN_1;
import static dev.modelguardian.testing.MlflowStandIn.RUN_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.modelguardian.core.registry.ModelRegistry.RegistryException;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.registry.Run;
import dev.modelguardian.testing.MlflowStandIn;

/** {@link MlflowRegistry}, the port on the MLflow client, against the stateful stand-in. */
@QuarkusTest
@QuarkusTestResource(value = MlflowStandIn.class, restrictToAnnotatedClass = true)
class MlflowRegistryTest {

    private static final RegistryModel STAGED = new RegistryModel(RECORDED_MODEL, RegistryModel.Mode.STAGE, null);
    private static final RegistryModel ALIASED = new RegistryModel(RECORDED_MODEL, RegistryModel.Mode.ALIAS,
            "champion");

    @MlflowStandIn.InjectMlflow
    MlflowStandIn mlflow;

    ModelRegistry registry;

    @BeforeEach
    void seed() {
        mlflow.reset();
        mlflow.seedRecording();
        registry = MlflowRegistry.create(MlflowTestSupport.config(mlflow.url()));
    }

    @Test
    void givenVersionInProduction_whenServingReadInStageMode_thenThatVersionFromGetLatestVersions() {
        mlflow.model(RECORDED_MODEL).stage("1", "Production");

        ModelVersion serving = registry.serving(STAGED).orElseThrow();

        assertThat(serving.version()).isEqualTo("1");
        assertThat(serving.stage()).isEqualTo("Production");
        assertThat(serving.created()).isEqualTo(Instant.ofEpochMilli(1795547778070L));
        assertThat(serving.runId()).hasValue(RUN_1);
        assertThat(serving.status()).isEqualTo(ModelVersion.Status.READY);
        assertThat(mlflow.requests("GET", "registered-models/get-latest-versions").get(0).query().get("stages"))
                .containsExactly("Production");
    }

    @Test
    void givenNothingInProduction_whenServingReadInStageMode_thenEmpty() {
        assertThat(registry.serving(STAGED)).isEmpty();
    }

    @Test
    void givenAliasSet_whenServingReadInAliasMode_thenTheVersionTheAliasPointsTo() {
        mlflow.model(RECORDED_MODEL).alias("champion", "2");

        ModelVersion serving = registry.serving(ALIASED).orElseThrow();

        assertThat(serving.version()).isEqualTo("2");
        assertThat(serving.aliases()).containsExactly("champion");
    }

    @Test
    void givenAliasMissing_whenServingRead_thenEmpty() {
        assertThat(registry.serving(ALIASED)).isEmpty();
    }

    @Test
    void givenVersionsOverTime_whenVersionsSinceRead_thenThoseAtOrAfterSinceNewestFirst() {
        MlflowStandIn.Model model = mlflow.model("paged");
        for (int v = 1; v <= 5; v++) {
            model.version(String.valueOf(v), Instant.ofEpochSecond(1000L * v), Map.of("mae", 1.0 * v));
        }

        List<ModelVersion> since = registry.versionsSince("paged", Instant.ofEpochSecond(3000));

        assertThat(since).extracting(ModelVersion::version).containsExactly("5", "4", "3");
    }

    @Test
    void givenPagesOfTwo_whenVersionsSinceRead_thenPagingStopsAtThePageHoldingAnOlderVersion() {
        MlflowStandIn.Model model = mlflow.model("paged");
        for (int v = 1; v <= 7; v++) {
            model.version(String.valueOf(v), Instant.ofEpochSecond(1000L * v), Map.of("mae", 1.0 * v));
        }
        MlflowRegistry small = new MlflowRegistry(new MlflowClient(MlflowTestSupport.config(mlflow.url())), 2);

        List<ModelVersion> since = small.versionsSince("paged", Instant.ofEpochSecond(4000));

        assertThat(since).extracting(ModelVersion::version).containsExactly("7", "6", "5", "4");
        // pages: [7,6] [5,4] [3,2] -> the third holds an older version; a fourth page is never asked for
        assertThat(mlflow.requests("GET", "model-versions/search")).hasSize(3);
    }

    @Test
    void givenAllVersionsOnSeveralPagesAreNew_whenVersionsSinceRead_thenEveryPageIsRead() {
        MlflowStandIn.Model model = mlflow.model("paged");
        for (int v = 1; v <= 5; v++) {
            model.version(String.valueOf(v), Instant.ofEpochSecond(1000L * v), Map.of("mae", 1.0 * v));
        }
        MlflowRegistry small = new MlflowRegistry(new MlflowClient(MlflowTestSupport.config(mlflow.url())), 2);

        assertThat(small.versionsSince("paged", Instant.EPOCH)).hasSize(5);
        assertThat(mlflow.requests("GET", "model-versions/search")).hasSize(3);
    }

    @Test
    void givenUnknownModel_whenVersionsSinceRead_thenEmptyFromTheEmptyObject() {
        assertThat(registry.versionsSince("no-such-model", Instant.EPOCH)).isEmpty();
    }

    @Test
    void givenPendingRegistration_whenVersionRead_thenStatusPendingRegistration() {
        mlflow.model(RECORDED_MODEL).status("2", "PENDING_REGISTRATION");

        assertThat(registry.version(RECORDED_MODEL, "2").status()).isEqualTo(ModelVersion.Status.PENDING_REGISTRATION);
        assertThat(registry.version(RECORDED_MODEL, "1").status()).isEqualTo(ModelVersion.Status.READY);
    }

    @Test
    void givenUnknownVersion_whenRead_thenNotRetryableRegistryExceptionWithCallCodeAndMessage() {
        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> registry.version(RECORDED_MODEL, "99"));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("GET model-versions/get").contains("HTTP 404 RESOURCE_DOES_NOT_EXIST")
                .contains("Model Version (name=ticket-duration-predictor, version=99) not found");
        assertThat(e.getCause()).isInstanceOf(MlflowException.class);
    }

    @Test
    void givenRecordedRun_whenRead_thenLatestMetricValuesAndExperimentId() {
        Run run = registry.run(RUN_1);

        assertThat(run.runId()).isEqualTo(RUN_1);
        assertThat(run.experimentId()).isEqualTo("1");
        assertThat(run.status()).isEqualTo("FINISHED");
        assertThat(run.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("mae", 12.7, "precision", 0.81));
        assertThat(registry.run(RUN_2).status()).isEqualTo("RUNNING");
    }

    @Test
    void givenRunWithoutMetricsKey_whenRead_thenEmptyMetrics() {
        mlflow.run("11111111111111111111111111111111", "1", "no-metrics", "FINISHED", 1L, 2L, Map.of());

        assertThat(registry.run("11111111111111111111111111111111").metrics()).isEmpty();
    }

    @Test
    void givenExperiment_whenIdRead_thenIdOrEmptyWhenMissing() {
        assertThat(registry.experimentId("orchestrator-predictive-models")).hasValue("1");
        assertThat(registry.experimentId("no-such-experiment")).isEmpty();
    }

    @Test
    void givenVersionOneInProduction_whenVersionTwoPromotedInStageMode_thenOneIsArchivedAndTwoServes() {
        mlflow.model(RECORDED_MODEL).stage("1", "Production");

        registry.promote(STAGED, "2");

        assertThat(registry.serving(STAGED)).map(ModelVersion::version).hasValue("2");
        assertThat(registry.version(RECORDED_MODEL, "1").stage()).isEqualTo("Archived");
        MlflowStandIn.Call call = mlflow.requests("POST", "model-versions/transition-stage").get(0);
        assertThat(call.json().get("archive_existing_versions").asBoolean()).isTrue();
        assertThat(call.json().get("stage").asText()).isEqualTo("Production");
    }

    @Test
    void givenServingVersion_whenPromotedAgain_thenNothingChangesThatMatters() {
        registry.promote(STAGED, "2");
        registry.promote(STAGED, "2");

        assertThat(registry.serving(STAGED)).map(ModelVersion::version).hasValue("2");
        assertThat(registry.version(RECORDED_MODEL, "1").stage()).isEqualTo("None");
    }

    @Test
    void givenAliasOnVersionOne_whenVersionTwoPromotedInAliasMode_thenTheAliasMovesAndTwoServes() {
        mlflow.model(RECORDED_MODEL).alias("champion", "1");

        registry.promote(ALIASED, "2");

        assertThat(registry.serving(ALIASED)).map(ModelVersion::version).hasValue("2");
        assertThat(mlflow.requests("POST", "model-versions/transition-stage")).isEmpty();
    }

    @Test
    void givenAlias_whenClearedTwice_thenGoneAndTheSecondClearIsFine() {
        mlflow.model(RECORDED_MODEL).alias("champion", "2");

        registry.clearAlias(ALIASED);
        registry.clearAlias(ALIASED);

        assertThat(registry.serving(ALIASED)).isEmpty();
        assertThat(mlflow.requests("DELETE", "registered-models/alias")).hasSize(2);
    }

    @Test
    void givenPersistent503_whenRead_thenRetryableRegistryException() {
        mlflow.failWith(503);

        RegistryException e = catchThrowableOfType(RegistryException.class, () -> registry.serving(STAGED));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 503").contains("gave up after 4 attempts");
    }

    @Test
    void givenStandInBuiltWithItsHighLevelApi_whenRead_thenProductionVersionRunMetricsAndPendingVersion() {
        mlflow.reset();
        mlflow.model("ticket-anomaly-detector").productionVersion("3", Map.of("precision", 0.81, "recall", 0.7));
        mlflow.registerVersion("ticket-anomaly-detector", "4", Instant.now(), null, "1", Map.of("precision", 0.9),
                "PENDING_REGISTRATION");
        RegistryModel model = new RegistryModel("ticket-anomaly-detector", RegistryModel.Mode.STAGE, null);

        ModelVersion serving = registry.serving(model).orElseThrow();

        assertThat(serving.version()).isEqualTo("3");
        assertThat(registry.run(serving.runId().orElseThrow()).metrics())
                .containsExactlyInAnyOrderEntriesOf(Map.of("precision", 0.81, "recall", 0.7));
        assertThat(registry.versionsSince("ticket-anomaly-detector", Instant.EPOCH))
                .extracting(ModelVersion::version, ModelVersion::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("4", ModelVersion.Status.PENDING_REGISTRATION),
                        org.assertj.core.groups.Tuple.tuple("3", ModelVersion.Status.READY));
    }
}
