package dev.modelguardian.app.api;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/** The HTTP API of serve, over HTTP with rest-assured, against the CRUD mock server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(GuardianResourceTest.Profile.class)
class GuardianResourceTest {

    static final String TOKEN = "3f1c9a7e5b2d4f608e1a7c3b9d5f2e4a";

    /** The registry-step test's configuration (flag ConfigMap, Deployment) plus an API token. */
    public static class Profile extends RegistryProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("guardian.api.token", TOKEN);
            return config;
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    ConfigMapStateStore store;

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
    }

    @Test
    void givenAFreshCluster_whenStatusIsRead_thenEveryTargetIsListedHealthyWithTheSchema() {
        given().when().get("/api/v1/status").then().statusCode(200)
                .body("schema", equalTo("model-guardian/status/v1"))
                .body("targets[0].name", equalTo(CRON_JOB))
                .body("targets[0].cronJob", equalTo(CRON_JOB))
                .body("targets[0].state", equalTo("HEALTHY"))
                .body("leader.leading", equalTo(false));
    }

    @Test
    void givenNoAuthorization_whenRemediateIsPosted_then401WithAJsonErrorAndNoJob() {
        given().when().post("/api/v1/targets/{t}/remediate", CRON_JOB).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", equalTo("unauthorized"));
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void givenAWrongToken_whenRemediateIsPosted_then403AndTheTokenIsNotEchoed() {
        given().header("Authorization", "Bearer not-the-token").when()
                .post("/api/v1/targets/{t}/remediate", CRON_JOB).then().statusCode(403)
                .body("error", equalTo("forbidden"))
                .body(not(containsString("not-the-token"))).body(not(containsString(TOKEN)));
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void givenAnUnknownTarget_whenRemediateIsPosted_then404NamingTheKnownTargets() {
        given().auth().oauth2(TOKEN).when().post("/api/v1/targets/{t}/remediate", "orchestrator-ml-training").then()
                .statusCode(404).body("error", equalTo("unknown-target"))
                .body("message", containsString(CRON_JOB));
    }

    @Test
    void givenAFiringPolicyAndTheToken_whenRemediateIsPosted_then202RetrainingAndOneJob() {
        given().auth().oauth2(TOKEN).when().post("/api/v1/targets/{t}/remediate", CRON_JOB).then()
                .statusCode(202).body("state", equalTo("RETRAINING")).body("job", containsString("ml-retrain-emergency-"));

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        given().when().get("/api/v1/status").then().body("targets[0].state", equalTo("RETRAINING"))
                .body("targets[0].trigger[0].signal", equalTo("mae-ratio"));
    }

    @Test
    void givenHealthySignals_whenRemediateIsPostedWithoutForce_then409NotStarted() {
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY);

        given().auth().oauth2(TOKEN).when().post("/api/v1/targets/{t}/remediate", CRON_JOB).then()
                .statusCode(409).body("error", equalTo("not-started"));
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void givenHealthySignals_whenRemediateIsPostedWithForce_then202AndAJob() {
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY);

        given().auth().oauth2(TOKEN).queryParam("force", true).when()
                .post("/api/v1/targets/{t}/remediate", CRON_JOB).then().statusCode(202)
                .body("requestedBy", equalTo("api-token")).body("trigger", hasSize(0));
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void givenNothingAwaitsApproval_whenApproveIsPosted_then409() {
        given().auth().oauth2(TOKEN).when().post("/api/v1/targets/{t}/approve", CRON_JOB).then()
                .statusCode(409).body("error", equalTo("not-awaiting-approval"));
    }

    @Test
    void givenARemediationAwaitingApproval_whenApproveIsPostedWithTheToken_thenTheApproverAndTheStepsAreInStatus() {
        Instant fired = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300);
        List<TargetHealth.FiredSignal> mae = List.of(new TargetHealth.FiredSignal("ticket-duration-predictor",
                "mae-ratio", 1.72, "> 1.5"));
        TargetState awaiting = new TargetState(RemediationState.AWAITING_APPROVAL, fired, Optional.empty(),
                Optional.empty(), false, mae, false, List.of(), Optional.empty());
        TargetRecord parked = new TargetRecord(1, awaiting, "approval required before retraining",
                Progress.EMPTY, Map.of(), List.of(), new Timeline(List.of(new Timeline.Mark(RemediationState.FIRING,
                        fired), new Timeline.Mark(RemediationState.AWAITING_APPROVAL, fired)), Optional.empty()),
                Optional.empty());
        assertThat(store.compareAndSet(CRON_JOB, 0, parked)).isTrue();

        given().auth().oauth2(TOKEN).when().post("/api/v1/targets/{t}/approve", CRON_JOB).then()
                .statusCode(202).body("state", equalTo("RETRAINING")).body("approvedBy", equalTo("api-token"));

        TargetRecord approved = store.load().targets().get(CRON_JOB);
        assertThat(approved.timeline().approvedBy()).contains("api-token");
        given().when().get("/api/v1/status").then().statusCode(200)
                .body("targets[0].approvedBy", equalTo("api-token"))
                .body("targets[0].steps.step", contains("firing -> retraining started", "awaiting approval",
                        "Job running"))
                .body("targets[0].steps[0].seconds", greaterThanOrEqualTo(300))
                .body("targets[0].steps[2].ongoing", equalTo(true));
    }

    @Test
    void givenARemediationAwaitingApproval_whenRejectIsPostedWithAReason_thenItEndsRejectedAndNoJobStarts() {
        Instant fired = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300);
        TargetState awaiting = new TargetState(RemediationState.AWAITING_APPROVAL, fired, Optional.empty(),
                Optional.empty(), false, List.of(new TargetHealth.FiredSignal("ticket-duration-predictor",
                        "mae-ratio", 1.72, "> 1.5")), false, List.of(), Optional.empty());
        assertThat(store.compareAndSet(CRON_JOB, 0, new TargetRecord(1, awaiting, "approval required before"
                + " retraining", Progress.EMPTY, Map.of(), List.of(), new Timeline(List.of(), Optional.empty()),
                Optional.empty()))).isTrue();

        given().auth().oauth2(TOKEN).when().post("/api/v1/targets/{t}/reject", CRON_JOB).then()
                .statusCode(400).body("error", equalTo("reason-required"));
        given().auth().oauth2(TOKEN).queryParam("reason", "labels are corrupt").when()
                .post("/api/v1/targets/{t}/reject", CRON_JOB).then()
                .statusCode(202).body("state", equalTo("FIRING"));
        given().auth().oauth2(TOKEN).queryParam("reason", "again").when()
                .post("/api/v1/targets/{t}/reject", CRON_JOB).then()
                .statusCode(409).body("error", equalTo("not-awaiting-approval"));

        TargetRecord rejected = store.load().targets().get(CRON_JOB);
        assertThat(rejected.last().orElseThrow().outcome()).isEqualTo(HistoryEntry.Outcome.REJECTED);
        assertThat(rejected.last().orElseThrow().reason()).isEqualTo("rejected by api-token: labels are corrupt");
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void givenNoAuthorization_whenRejectIsPosted_then401EvenWithoutAReason() {
        given().when().post("/api/v1/targets/{t}/reject", CRON_JOB).then().statusCode(401)
                .body("error", equalTo("unauthorized"));
    }

    @Test
    void givenNoAuthorization_whenRollbackIsPosted_then401AndTheFlagIsUntouched() {
        given().when().post("/api/v1/targets/{t}/rollback", CRON_JOB).then().statusCode(401)
                .body("error", equalTo("unauthorized"));
        assertThat(NeuralHive.flag(client)).isEqualTo("true");
        assertThat(NeuralHive.restartedAt(client)).isNull();
    }

    @Test
    void givenTheToken_whenRollbackIsPosted_then202RolledBackWithTheFlagOffAndTheServerRestarted() {
        given().auth().oauth2(TOKEN).when().post("/api/v1/targets/{t}/rollback", CRON_JOB).then()
                .statusCode(202).body("state", equalTo("ROLLED_BACK"));

        assertThat(NeuralHive.flag(client)).isEqualTo("false");
        assertThat(NeuralHive.restartedAt(client)).isNotNull();
    }

    @Test
    void givenTheServer_whenHealthAndMetricsAreRead_thenBothAnswer() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("guardian_leader"));
    }
}
