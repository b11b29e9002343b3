package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.MlflowStandIn;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * The registry step as the application wires it: the engine bean talks to the MLflow stand-in (answering like the
 * recorded MLflow 2.10 server) through the real REST client, and to the fabric8 mock server in CRUD mode.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MlflowStandIn.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryStepMlflowTest.Profile.class)
class RegistryStepMlflowTest {

    /** {@link RegistryProfile} with one quick MLflow retry, so a 503 costs milliseconds. */
    public static class Profile extends RegistryProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("guardian.mlflow.retries", "1");
            config.put("guardian.mlflow.retry-backoff", "10ms");
            return config;
        }
    }

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final String MODEL = "ticket-duration-predictor";

    @MlflowStandIn.InjectMlflow
    MlflowStandIn mlflow;

    @Inject
    RemediationEngine engine;

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        clock.set(T0);
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
        mlflow.reset();
        MlflowStandIn.Model model = mlflow.model(MODEL);
        for (int v = 1; v <= 6; v++) {
            model.version(String.valueOf(v), T0.minus(Duration.ofDays(8 - v)), Map.of("mae_percentage", 14.0));
        }
        model.version("7", T0.minus(Duration.ofDays(1)), Map.of("mae_percentage", 13.7)).stage("7", "Production");
    }

    @AfterEach
    void tearDown() {
        mlflow.heal();
        clock.reset();
    }

    private TargetRecord record() {
        return new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load().targets().get(CRON_JOB);
    }

    /** The training run registers v8 with {@code mae} ten minutes in, and its Job completes. */
    private void trainingRegisters(double mae) {
        mlflow.model(MODEL).version("8", T0.plus(Duration.ofMinutes(10)), Map.of("mae_percentage", mae));
        List<Job> jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
        assertThat(jobs).hasSize(1);
        NeuralHive.finish(client, jobs.getFirst().getMetadata().getName(), "Complete", null);
        clock.advance(Duration.ofMinutes(20));
    }

    @Test
    void givenAGoodCandidateInMlflow_whenTheJobCompletes_thenItIsTransitionedToProductionArchivingV7AndVerified() {
        engine.runCycle();
        trainingRegisters(12.0);

        engine.followUp();

        assertThat(mlflow.model(MODEL).stageOf("8")).isEqualTo("Production");
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Archived");
        assertThat(mlflow.requests("POST", "model-versions/transition-stage")).singleElement().satisfies(call -> {
            assertThat(call.json().get("version").asText()).isEqualTo("8");
            assertThat(call.json().get("stage").asText()).isEqualTo("Production");
            assertThat(call.json().get("archive_existing_versions").asBoolean()).isTrue();
        });
        assertThat(NeuralHive.restartedAt(client)).isNotNull();

        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY);
        clock.advance(Duration.ofMinutes(5));
        engine.runCycle();

        assertThat(record().current().state()).isEqualTo(RemediationState.HEALTHY);
        assertThat(record().last().orElseThrow().outcome()).isEqualTo(HistoryEntry.Outcome.PROMOTED);
    }

    @Test
    void givenMlflowAnswers503DuringValidation_whenFollowedUp_thenNothingIsPromoted() {
        engine.runCycle();
        trainingRegisters(12.0);
        mlflow.failWith(503);

        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.VALIDATING);
        assertThat(record().reason()).doesNotContain("validation passed");
        mlflow.heal();
        assertThat(mlflow.requests("POST", "model-versions/transition-stage")).isEmpty();
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Production");
    }

    @Test
    void givenACandidateOverTheBoundInMlflow_whenValidated_thenV7StaysAndTheFlagIsOff() {
        engine.runCycle();
        trainingRegisters(17.5);

        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Production");
        assertThat(mlflow.model(MODEL).stageOf("8")).isEqualTo("None");
        assertThat(record().last().orElseThrow().verdict().orElseThrow().summary())
                .contains("mae_percentage 17.5 not < 15");
    }
}
