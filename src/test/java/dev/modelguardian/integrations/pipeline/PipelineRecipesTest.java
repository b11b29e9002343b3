package dev.modelguardian.integrations.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.integrations.pipeline.Recipes.Recipe;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.PipelineStandIn;

/**
 * The http trigger through its three documented recipes (docs/triggers), each against a stand-in of its service
 * (Kubeflow Pipelines v2beta1, Airflow 2's stable REST API, GitHub Actions) with its credentials in a Secret on the
 * fabric8 mock server in CRUD mode: one run per remediation, found again after a restart, adopted when running,
 * every end state, and the failures of each call.
 */
@EnableKubernetesMockClient(crud = true)
class PipelineRecipesTest {

    static final String RUN = "ml-retrain-emergency-1764000000";
    static final String REMEDIATION = "r1764000000";
    static final String WHY = "ticket-duration-predictor/mae-ratio 1.72 (above 1.5)";

    KubernetesClient client;
    MutableClock clock = new MutableClock();
    PipelineStandIn service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    /** The recipe against a fresh stand-in, its Secret created; the trigger as the guardian builds it. */
    private PipelineRuns trigger(Recipe recipe) {
        return trigger(recipe, y -> y);
    }

    private PipelineRuns trigger(Recipe recipe, java.util.function.UnaryOperator<String> edit) {
        service = recipe.standIn();
        recipe.createSecret(client);
        clock.set(Instant.parse("2026-12-06T10:00:00Z"));
        return recipe.trigger(recipe.settings(service, edit), client, clock);
    }

    /** A guardian restarted: the same configuration, nothing in memory. */
    private PipelineRuns restarted(Recipe recipe) {
        return recipe.trigger(recipe.settings(service), client, clock);
    }

    private TargetSpec target(Recipe recipe) {
        return Recipes.target(recipe.settings(service));
    }

    @ParameterizedTest
    @EnumSource(Recipe.class)
    void givenEachDocumentedRecipe_whenTheWholeConfigurationIsValidated_thenItHasNoProblem(Recipe recipe) {
        service = recipe.standIn();
        Settings settings = recipe.settings(service);

        assertThat(Extensions.validate(settings, ModelSet.resolve(settings))).isEmpty();
        assertThat(target(recipe).trainer().trigger()).isEqualTo("http");
    }

    @Test
    void givenTheKubeflowRecipe_whenARemediationStarts_thenOneRunIsCreatedWithItsNameParametersTokenAndIdempotencyKey() {
        PipelineRuns runs = trigger(Recipe.KUBEFLOW);

        runs.start(target(Recipe.KUBEFLOW), RUN, REMEDIATION, WHY);

        assertThat(service.runCount()).isEqualTo(1);
        PipelineStandIn.Request post = service.requests("POST").get(0);
        assertThat(post.path()).isEqualTo("/apis/v2beta1/runs");
        assertThat(post.headers()).containsEntry("authorization", "Bearer " + Recipes.TOKEN)
                .containsEntry("idempotency-key", REMEDIATION).containsEntry("content-type", "application/json");
        JsonNode body = post.json();
        assertThat(body.path("display_name").asText()).isEqualTo(RUN);
        assertThat(body.path("description").asText()).isEqualTo("model-guardian remediation " + REMEDIATION + ": "
                + WHY);
        assertThat(body.path("experiment_id").asText()).isEqualTo(PipelineStandIn.EXPERIMENT);
        assertThat(body.path("runtime_config").path("parameters").path("models").asText())
                .isEqualTo("ticket-duration-predictor,ticket-anomaly-detector");
        assertThat(body.path("runtime_config").path("parameters").path("remediation_id").asText())
                .isEqualTo(REMEDIATION);
        assertThat(runs.observe(target(Recipe.KUBEFLOW), RUN)).isInstanceOf(JobObservation.Running.class);
    }

    @Test
    void givenAKubeflowRunStarted_whenTheGuardianRestartsAndStartsAgain_thenItFindsTheRunByNameAndStartsNoOther() {
        trigger(Recipe.KUBEFLOW).start(target(Recipe.KUBEFLOW), RUN, REMEDIATION, WHY);
        String id = service.runIds().get(0);
        service.finish(id, "RUNNING", null);

        PipelineRuns restarted = restarted(Recipe.KUBEFLOW);
        JobObservation seen = restarted.observe(target(Recipe.KUBEFLOW), RUN);
        restarted.start(target(Recipe.KUBEFLOW), RUN, REMEDIATION, WHY);

        assertThat(seen).isEqualTo(new JobObservation.Running(Optional.empty(), "state RUNNING"));
        assertThat(service.runCount()).isEqualTo(1);
        assertThat(service.requests("POST")).hasSize(1);
        assertThat(service.requests("GET")).extracting(PipelineStandIn.Request::path)
                .contains("/apis/v2beta1/runs/" + id);
    }

    @Test
    void givenAKubeflowRun_whenItsStateChanges_thenPendingRunsSucceededSucceedsAndFailedAndCanceledFailWithKfpsMessage() {
        PipelineRuns runs = trigger(Recipe.KUBEFLOW);
        TargetSpec target = target(Recipe.KUBEFLOW);
        runs.start(target, RUN, REMEDIATION, WHY);
        String id = service.runIds().get(0);

        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Running(Optional.empty(),
                "state PENDING"));
        service.finish(id, "SUCCEEDED", null);
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Succeeded());
        service.finish(id, "FAILED", "task train failed: exit status 1");
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Failed(
                "state FAILED: task train failed: exit status 1"));
        service.finish(id, "CANCELED", "Run was canceled by the user");
        assertThat(runs.observe(target, RUN)).isInstanceOf(JobObservation.Failed.class);
    }

    @Test
    void givenAKubeflowRunDeleted_whenObservedAfterTheListingGrace_thenItIsNotFound() {
        PipelineRuns runs = trigger(Recipe.KUBEFLOW);
        TargetSpec target = target(Recipe.KUBEFLOW);
        runs.start(target, RUN, REMEDIATION, WHY);
        service.delete(service.runIds().get(0));

        assertThat(runs.observe(target, RUN)).as("just started: the service may not list it yet")
                .isInstanceOf(JobObservation.Running.class);
        clock.advance(PipelineRuns.LISTING_GRACE.plusSeconds(1));
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.NotFound());
        assertThat(restarted(Recipe.KUBEFLOW).observe(target, RUN)).isEqualTo(new JobObservation.NotFound());
    }

    @Test
    void givenTheStartAnswerIsLost_whenTheRemediationRetries_thenTheRunIsFoundAndNotStartedTwice() {
        PipelineRuns runs = trigger(Recipe.KUBEFLOW);
        TargetSpec target = target(Recipe.KUBEFLOW);
        service.loseNextAnswer();

        assertThatThrownBy(() -> runs.start(target, RUN, REMEDIATION, WHY)).isInstanceOfSatisfying(
                ClusterException.class, e -> assertThat(e.permanent()).isFalse());
        runs.start(target, RUN, REMEDIATION, WHY);

        assertThat(service.runCount()).isEqualTo(1);
        assertThat(service.requests("POST")).hasSize(1);
        assertThat(runs.observe(target, RUN)).isInstanceOf(JobObservation.Running.class);
    }

    @Test
    void givenAStartAcceptedWithAnAnswerThatIsNotJson_whenFollowed_thenTheRunIsFoundByNameAndNotStartedAgain() {
        PipelineRuns runs = trigger(Recipe.KUBEFLOW);
        TargetSpec target = target(Recipe.KUBEFLOW);
        service.answerNextStartWithHtml();

        runs.start(target, RUN, REMEDIATION, WHY);

        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Running(Optional.empty(),
                "state PENDING"));
        runs.start(target, RUN, REMEDIATION, WHY);
        assertThat(service.requests("POST")).hasSize(1);
        assertThat(service.runCount()).isEqualTo(1);
    }

    @Test
    void givenTheServiceFails_whenStarting_then5xxAnd429AndNoAnswerAreTransientAnd400IsPermanentAndNothingIsStarted() {
        PipelineRuns runs = trigger(Recipe.KUBEFLOW, y -> y.replace("          auth:",
                "          request-timeout: 1s\n          auth:"));
        TargetSpec target = target(Recipe.KUBEFLOW);

        for (int status : new int[] {500, 502, 503, 429}) {
            service.failNextStart(status);
            assertThatThrownBy(() -> runs.start(target, RUN, REMEDIATION, WHY)).as("start answered %d", status)
                    .isInstanceOfSatisfying(ClusterException.class, e -> {
                        assertThat(e.permanent()).isFalse();
                        assertThat(e.getMessage()).contains("answered HTTP " + status).doesNotContain(Recipes.TOKEN);
                    });
            clock.advance(PipelineRuns.LISTING_GRACE); // an unclear start is not repeated before the grace
        }
        service.failNext(503, 1);
        assertThatThrownBy(() -> runs.start(target, RUN, REMEDIATION, WHY)).as("the list before the start")
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.permanent()).isFalse());
        service.failNextStart(400);
        assertThatThrownBy(() -> runs.start(target, RUN, REMEDIATION, WHY)).isInstanceOfSatisfying(
                ClusterException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).startsWith("cannot start a Kubeflow run: POST http://")
                            .contains("/apis/v2beta1/runs answered HTTP 400 ({\"code\":3,\"message\":\"injected"
                                    + " failure\"");
                });
        service.hangNext();
        assertThatThrownBy(() -> runs.start(target, RUN, REMEDIATION, WHY)).isInstanceOfSatisfying(
                ClusterException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).endsWith(": no answer within 1s (trigger.http.request-timeout)");
                });
        assertThat(service.runCount()).isZero();

        clock.advance(PipelineRuns.LISTING_GRACE);
        runs.start(target, RUN, REMEDIATION, WHY);
        assertThat(service.runCount()).as("once the service answers").isEqualTo(1);
    }

    @Test
    void givenAStartWithoutAClearAnswer_whenRetriedWithinTheGrace_thenNothingIsPostedAgainUntilItEnds() {
        PipelineRuns runs = trigger(Recipe.GITHUB);
        TargetSpec target = target(Recipe.GITHUB);
        service.failNextStart(502);
        assertThatThrownBy(() -> runs.start(target, RUN, REMEDIATION, WHY)).isInstanceOf(ClusterException.class);

        assertThatThrownBy(() -> runs.start(target, RUN, REMEDIATION, WHY)).isInstanceOfSatisfying(
                ClusterException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).contains("and the service does not list the run yet; starting again"
                            + " only after 2 minutes");
                });
        assertThat(service.requests("POST")).as("one dispatch so far").hasSize(1);

        clock.advance(PipelineRuns.LISTING_GRACE);
        runs.start(target, RUN, REMEDIATION, WHY);
        assertThat(service.requests("POST")).hasSize(2);
        assertThat(service.runCount()).isEqualTo(1);
    }

    @Test
    void givenGitHubsRateLimit_whenStarting_thenThe403IsTransientAndSaysSo() {
        PipelineRuns runs = trigger(Recipe.GITHUB);
        service.rateLimitNextStart();

        assertThatThrownBy(() -> runs.start(target(Recipe.GITHUB), RUN, REMEDIATION, WHY)).isInstanceOfSatisfying(
                ClusterException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).contains("answered HTTP 403 with a rate limit");
                });
    }

    @Test
    void givenTheServiceFailsWhileARunIsFollowed_whenObserved_then5xxAndNoAnswerAreTransientAndRefusedCredentialsPermanent() {
        PipelineRuns runs = trigger(Recipe.AIRFLOW, y -> y.replace("          auth:",
                "          request-timeout: 1s\n          auth:"));
        TargetSpec target = target(Recipe.AIRFLOW);
        runs.start(target, RUN, REMEDIATION, WHY);

        service.failNext(500, 1);
        assertThatThrownBy(() -> runs.observe(target, RUN)).isInstanceOfSatisfying(ClusterException.class,
                e -> assertThat(e.permanent()).isFalse());
        service.failNext(401, 1);
        assertThatThrownBy(() -> runs.observe(target, RUN)).isInstanceOfSatisfying(ClusterException.class, e -> {
            assertThat(e.permanent()).isTrue();
            assertThat(e.getMessage()).startsWith("cannot read DAG run " + RUN + ": GET http://")
                    .doesNotContain(Recipes.PASSWORD);
        });
        service.failNext(503, 1);
        assertThatThrownBy(() -> runs.running(target, Optional.empty())).isInstanceOfSatisfying(
                ClusterException.class, e -> assertThat(e.permanent()).isFalse());
        service.hangNext();
        assertThatThrownBy(() -> runs.observe(target, RUN)).isInstanceOfSatisfying(ClusterException.class,
                e -> assertThat(e.permanent()).isFalse());

        assertThat(runs.observe(target, RUN)).as("once the service answers again")
                .isEqualTo(new JobObservation.Running(Optional.empty(), "state queued"));
    }

    @Test
    void givenAKubeflowRunStartedBySomeoneElse_whenTheTargetFires_thenTheRunningOneIsAdoptedByIdAndFollowed() {
        PipelineRuns runs = trigger(Recipe.KUBEFLOW);
        TargetSpec target = target(Recipe.KUBEFLOW);
        service.addRun("nightly-retrain-2026-12-05", "SUCCEEDED");
        String nightly = service.addRun("nightly-retrain-2026-12-06", "RUNNING");

        Optional<String> adopted = runs.running(target, Optional.empty());

        assertThat(adopted).contains(nightly);
        assertThat(runs.running(target, Optional.of(nightly))).isEmpty();
        assertThat(restarted(Recipe.KUBEFLOW).observe(target, nightly)).isEqualTo(new JobObservation.Running(
                Optional.empty(), "state RUNNING"));
        service.finish(nightly, "SUCCEEDED", null);
        assertThat(runs.observe(target, nightly)).isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenTheAirflowRecipe_whenARemediationStarts_thenTheDagRunIdIsTheRunNameWithBasicAuthAndTheConf() {
        PipelineRuns runs = trigger(Recipe.AIRFLOW);
        TargetSpec target = target(Recipe.AIRFLOW);

        runs.start(target, RUN, REMEDIATION, WHY);

        assertThat(service.runIds()).containsExactly(RUN);
        PipelineStandIn.Request post = service.requests("POST").get(0);
        assertThat(post.path()).isEqualTo("/api/v1/dags/" + PipelineStandIn.DAG + "/dagRuns");
        assertThat(post.headers()).containsEntry("authorization", Recipe.AIRFLOW.authorization());
        assertThat(post.json().path("conf").path("reason").asText()).isEqualTo(WHY);
        assertThat(post.json().path("conf").path("remediation_id").asText()).isEqualTo(REMEDIATION);
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Running(Optional.empty(),
                "state queued"));
        service.finish(RUN, "success", null);
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Succeeded());
        service.finish(RUN, "failed", null);
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Failed("state failed"));
    }

    @Test
    void givenAnAirflowDagRunStartedBeforeACrash_whenStartedAgain_thenItIsReadByItsIdAndNotPostedAgain() {
        trigger(Recipe.AIRFLOW).start(target(Recipe.AIRFLOW), RUN, REMEDIATION, WHY);

        restarted(Recipe.AIRFLOW).start(target(Recipe.AIRFLOW), RUN, REMEDIATION, WHY);

        assertThat(service.requests("POST")).hasSize(1);
        assertThat(service.runIds()).containsExactly(RUN);
    }

    @Test
    void givenAnAirflowDagRunOfThatIdAppearingBetweenTheReadAndTheStart_whenStarted_thenThe409MeansItIsThere() {
        PipelineRuns runs = trigger(Recipe.AIRFLOW);
        PipelineService airflow = new PipelineService(client, dev.modelguardian.testing.NeuralHive.NAMESPACE,
                PipelineSpec.of(Recipes.TARGET, Recipe.AIRFLOW.settings(service).of(HttpTriggerSettings.class)
                        .of(Recipes.TARGET)));
        runs.start(target(Recipe.AIRFLOW), RUN, REMEDIATION, WHY);

        PipelineService.Started again = airflow.start(java.util.Map.of("run", RUN, "remediation-id", REMEDIATION,
                "models", "m", "target", Recipes.TARGET, "trigger", WHY), REMEDIATION);

        assertThat(again).isEqualTo(new PipelineService.AlreadyExists());
        assertThat(service.runIds()).containsExactly(RUN);
    }

    @Test
    void givenAnAirflowDagRunRunning_whenTheTargetFires_thenItIsAdopted() {
        PipelineRuns runs = trigger(Recipe.AIRFLOW);
        service.addRun("scheduled__2026-12-06T00:00:00+00:00", "running");

        assertThat(runs.running(target(Recipe.AIRFLOW), Optional.empty()))
                .contains("scheduled__2026-12-06T00:00:00+00:00");
        assertThat(service.requests("GET").get(0).path()).contains("state=queued&state=running");
    }

    @Test
    void givenTheGitHubRecipe_whenDispatched_thenTheRunIdComesFromTheAnswerAndTheConclusionDecides() {
        PipelineRuns runs = trigger(Recipe.GITHUB);
        TargetSpec target = target(Recipe.GITHUB);

        runs.start(target, RUN, REMEDIATION, WHY);

        String id = service.runIds().get(0);
        PipelineStandIn.Request post = service.requests("POST").get(0);
        assertThat(post.path()).isEqualTo("/repos/" + PipelineStandIn.REPO + "/actions/workflows/"
                + PipelineStandIn.WORKFLOW + "/dispatches");
        assertThat(post.headers()).containsEntry("x-github-api-version", "2022-11-28");
        assertThat(post.json().path("inputs").path("run").asText()).isEqualTo(RUN);
        assertThat(post.json().path("return_run_details").asBoolean()).isTrue();
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Running(Optional.empty(),
                "no state yet"));
        assertThat(service.requests("GET")).extracting(PipelineStandIn.Request::path)
                .containsExactly("/repos/" + PipelineStandIn.REPO + "/actions/workflows/" + PipelineStandIn.WORKFLOW
                        + "/runs?event=workflow_dispatch&per_page=20", "/repos/" + PipelineStandIn.REPO
                        + "/actions/runs/" + id);
        service.finish(id, "failure", null);
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Failed("state failure"));
        service.finish(id, "success", null);
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Succeeded());
    }

    @Test
    void givenADispatchAnsweredWith204_whenObserved_thenTheRunIsFoundByItsRunNameAndAfterARestartToo() {
        PipelineRuns runs = trigger(Recipe.GITHUB, y -> y.replace("\"return_run_details\": true",
                "\"return_run_details\": false"));
        TargetSpec target = target(Recipe.GITHUB);

        runs.start(target, RUN, REMEDIATION, WHY);
        String id = service.runIds().get(0);
        service.finish(id, "success", null);

        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Succeeded());
        assertThat(restarted(Recipe.GITHUB).observe(target, RUN)).isEqualTo(new JobObservation.Succeeded());
        assertThat(service.runCount()).isEqualTo(1);
    }

    @Test
    void givenADispatchTheServiceDoesNotListYet_whenObserved_thenItRunsWithinTheGraceAndIsGoneAfter() {
        PipelineRuns runs = trigger(Recipe.GITHUB, y -> y.replace("\"return_run_details\": true",
                "\"return_run_details\": false"));
        TargetSpec target = target(Recipe.GITHUB);
        runs.start(target, RUN, REMEDIATION, WHY);
        service.delete(service.runIds().get(0));

        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.Running(Optional.empty(),
                "started; the service does not list it yet"));
        clock.advance(Duration.ofMinutes(3));
        assertThat(runs.observe(target, RUN)).isEqualTo(new JobObservation.NotFound());
    }

    @Test
    void givenNoSecret_whenStarting_thenAPermanentFailureNamesTheSecretAndKeyAndNothingIsSent() {
        service = Recipe.KUBEFLOW.standIn();
        clock.set(Instant.parse("2026-12-06T10:00:00Z"));
        PipelineRuns runs = Recipe.KUBEFLOW.trigger(Recipe.KUBEFLOW.settings(service), client, clock);

        assertThatThrownBy(() -> runs.start(target(Recipe.KUBEFLOW), RUN, REMEDIATION, WHY))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("Secret neural-hive/" + Recipes.SECRET
                            + " (trigger.http.auth.secret) not found; create it with key token");
                });
        assertThat(service.requests()).isEmpty();
    }

    @Test
    void givenAServiceThatEchoesTheTokenAndRefusesIt_whenStarting_thenTheFailureIsPermanentAndTheTokenIsMasked() {
        PipelineRuns runs = trigger(Recipe.KUBEFLOW);
        service.echoInErrors(" (got Authorization: Bearer " + Recipes.TOKEN + ")");
        service.failNext(401, 1);

        assertThatThrownBy(() -> runs.start(target(Recipe.KUBEFLOW), RUN, REMEDIATION, WHY))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).contains("HTTP 401", "refused the credentials", "***")
                            .doesNotContain(Recipes.TOKEN);
                });
    }

    @Test
    void givenATrainingThatFailed_whenItsLogIsAsked_thenItSaysTheServiceKeepsItAndNeverThrows() {
        PipelineRuns runs = trigger(Recipe.AIRFLOW);
        List<String> told = new java.util.ArrayList<>();

        var tail = runs.logTail(target(Recipe.AIRFLOW), RUN, dev.modelguardian.core.remediation.LogTail.Limits.DEFAULT);
        runs.followLog(target(Recipe.AIRFLOW), RUN, new dev.modelguardian.core.remediation.TrainingTrigger.LogSink() {
            @Override
            public void line(String pod, String line) {
                told.add(line);
            }

            @Override
            public void unreadable(String source, String why) {
                told.add(source + ": " + why);
            }
        }).close();

        assertThat(tail.unavailable()).contains("the http trigger does not read a run's log; the pipeline service"
                + " keeps it");
        assertThat(tail.source()).isEqualTo("DAG run " + RUN);
        assertThat(told).containsExactly("DAG run " + RUN + ": the http trigger does not read a run's log; the"
                + " pipeline service keeps it");
    }
}
