package dev.modelguardian.core.remediation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.EventRecorder;
import dev.modelguardian.integrations.kubernetes.EventsListener;
import dev.modelguardian.integrations.kubernetes.ModelServerResources;
import dev.modelguardian.integrations.mlflow.MlflowRegistry;
import dev.modelguardian.integrations.mlflow.MlflowSettings;
import dev.modelguardian.integrations.notify.Notifier;
import dev.modelguardian.testing.MlflowStandIn;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;
import dev.modelguardian.testing.TestConfigs;

/**
 * MLflow down (HTTP 503 from every call) or hung (every call answered long after {@code guardian.mlflow.timeout};
 * the stand-in applies a write before it delays the answer, so a hung promotion happened and its answer was lost)
 * at each registry moment of the runbook: the snapshot before the Job, validation, promotion, and a rollback. Through
 * the real MLflow REST client (one quick retry, a 700 ms timeout) against the stand-in, on the CRUD mock server.
 *
 * <p>Never a promotion on missing data; a rollback goes as far as it can (the flag is off at once), retries the
 * version restore on every follow-up with an ActionFailed Warning Event each time, and completes once MLflow answers.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MlflowStandIn.class, restrictToAnnotatedClass = true)
@TestProfile(MlflowFaultsTest.Profile.class)
class MlflowFaultsTest {

    /** {@link RegistryProfile}, with one quick MLflow retry and a short timeout, so a hung MLflow costs a second. */
    public static class Profile extends RegistryProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("guardian.mlflow.retries", "1");
            config.put("guardian.mlflow.retry-backoff", "10ms");
            config.put("guardian.mlflow.timeout", "700ms");
            return config;
        }
    }

    /** How MLflow fails. */
    enum Fault {
        /** Every call answers 503 (a proxy's page): retryable. */
        DOWN,
        /** Every call is answered after 5 s, far beyond the 700 ms timeout: retryable. */
        HUNG;

        void apply(MlflowStandIn mlflow) {
            if (this == DOWN) {
                mlflow.failWith(503);
            } else {
                mlflow.hang(5_000);
            }
        }

        /** What the guardian says about it. */
        String said() {
            return this == DOWN ? "HTTP 503" : "no answer within guardian.mlflow.timeout";
        }
    }

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final String MODEL = "ticket-duration-predictor";
    static final ObjectMapper JSON = new ObjectMapper();

    @MlflowStandIn.InjectMlflow
    MlflowStandIn mlflow;

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    @Inject
    Settings settings;

    final List<String> failures = new CopyOnWriteArrayList<>();
    /** PagerDuty's Events API, where the notifier pages. */
    WireMockServer pagerDuty;
    Notifier notifier;
    /** Run on every persisted step: where a test injects a fault at a given moment. */
    volatile Consumer<RemediationListener.Step> onStep = step -> { };
    RemediationEngine engine;

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
        EventsListener events = new EventsListener(new EventRecorder(client, NAMESPACE, "guardian-0", clock),
                NAMESPACE);
        pagerDuty = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        pagerDuty.start();
        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202)));
        var notify = TestConfigs.settings("""
                guardian:
                  notify:
                    initial-backoff: 20ms
                    pagerduty:
                      routing-key: 0123456789abcdef0123456789ABCDEF
                      url: %s/v2/enqueue
                """.formatted(pagerDuty.baseUrl()));
        notifier = new Notifier(notify.guardian().notifications(), NAMESPACE, Extensions.channels(notify, NAMESPACE),
                new SimpleMeterRegistry(), clock);
        RemediationListener listener = new RemediationListener() {
            @Override
            public void stepped(Step step) {
                events.stepped(step);
                notifier.stepped(step);
                onStep.accept(step);
            }

            @Override
            public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
                failures.add(action + ": " + message);
                events.actionFailed(target, record, action, message);
                notifier.actionFailed(target, record, action, message);
            }
        };
        RemediationPolicy policy = new RemediationPolicy(Duration.ofHours(1), 3, false, false, Duration.ofMinutes(45),
                Duration.ofMinutes(5), "ml-retrain-emergency");
        engine = new RemediationEngine(policyEngine, Policies.from(models), KubeBeans.targets(models, true),
                new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"),
                new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), clock), policy, 50, clock, listener,
                () -> true, Optional.of(MlflowRegistry.create(settings.of(MlflowSettings.class))),
                new ModelServerResources(client, NAMESPACE));
    }

    @AfterEach
    void tearDown() {
        notifier.close();
        pagerDuty.stop();
        mlflow.heal();
        clock.reset();
    }

    /** The PagerDuty classes (milestones) paged so far, in order, once {@code count} have arrived. */
    private List<String> pages(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pagerDuty.getAllServeEvents().size() >= count);
        return pagerDuty.getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(e -> {
                    try {
                        return JSON.readTree(e.getRequest().getBodyAsString()).at("/payload/class").asText();
                    } catch (IOException unreadable) {
                        throw new UncheckedIOException(unreadable);
                    }
                }).toList();
    }

    private TargetRecord record() {
        return new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load().targets().get(CRON_JOB);
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }

    private List<String> actionFailedEvents() {
        return client.events().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> "ActionFailed".equals(e.getReason())).map(Event::getNote).toList();
    }

    /** Versions sent to transition-stage, in order. */
    private List<String> transitions() {
        return mlflow.requests("POST", "model-versions/transition-stage").stream()
                .map(c -> c.json().get("version").asText() + "->" + c.json().get("stage").asText()).toList();
    }

    /** The training run registers v8 with {@code mae} ten minutes in, its Job completes, and it is T0+20m. */
    private void trainingRegisters(double mae) {
        mlflow.model(MODEL).version("8", T0.plus(Duration.ofMinutes(10)), Map.of("mae_percentage", mae));
        NeuralHive.finish(client, jobs().getFirst().getMetadata().getName(), "Complete", null);
        clock.advance(Duration.ofMinutes(20));
    }

    @ParameterizedTest(name = "MLflow {0} at the snapshot")
    @EnumSource(Fault.class)
    void givenMlflowFailsAtTheSnapshot_whenRetrainingWouldStart_thenNoJobAnAlertAndTheNextCycleStartsIt(Fault fault) {
        fault.apply(mlflow);

        engine.runCycle();

        assertThat(jobs()).isEmpty();
        HistoryEntry last = record().last().orElseThrow();
        assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.NOT_STARTED);
        assertThat(last.reason()).startsWith("no snapshot, so no remediation: MLflow ").contains(fault.said());
        assertThat(actionFailedEvents()).singleElement().asString()
                .contains("cannot take the snapshot rollback needs").contains(fault.said());
        assertThat(NeuralHive.flag(client)).isEqualTo("true");

        mlflow.heal();
        clock.advance(Duration.ofMinutes(1));
        engine.runCycle();

        assertThat(jobs()).hasSize(1);
        assertThat(record().current().state()).isEqualTo(RemediationState.RETRAINING);
        assertThat(record().progress().snapshot().orElseThrow().models().get(MODEL).version()).isEqualTo("7");
    }

    @ParameterizedTest(name = "MLflow {0} during validation")
    @EnumSource(Fault.class)
    void givenMlflowFailsDuringValidationPastTheWait_whenFollowedUp_thenNothingPromotedAndTheRollbackRetriedToItsEnd(
            Fault fault) {
        engine.runCycle();
        trainingRegisters(12.0);
        fault.apply(mlflow);

        engine.followUp();
        clock.advance(Duration.ofMinutes(2));
        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.VALIDATING);
        assertThat(record().reason()).as("the last persisted step").isEqualTo("Job " + jobs().getFirst()
                .getMetadata().getName() + " complete");

        clock.advance(Duration.ofMinutes(4));
        engine.followUp();
        engine.followUp();

        TargetRecord stuck = record();
        assertThat(stuck.current().state()).as("the version restore is retried").isEqualTo(
                RemediationState.ROLLING_BACK);
        assertThat(stuck.progress().cause()).hasValueSatisfying(c -> assertThat(c)
                .startsWith("validation impossible: registry unreadable for 6m: MLflow ").contains(fault.said()));
        assertThat(NeuralHive.flag(client)).as("the flag is off already").isEqualTo("false");
        assertThat(actionFailedEvents()).as("one alert per failed attempt").hasSize(2).allSatisfy(note ->
                assertThat(note).contains("cannot ticket-duration-predictor v7 -> stage Production")
                        .contains(fault.said()));
        assertThat(pages(1)).as("paged once while the rollback cannot finish").containsExactly("rollback-failed");

        mlflow.heal();
        engine.followUp();

        TargetRecord end = record();
        assertThat(end.current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(end.last().orElseThrow().outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
        assertThat(end.last().orElseThrow().verdict()).as("no verdict on missing data").isEmpty();
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Production");
        assertThat(mlflow.model(MODEL).stageOf("8")).isEqualTo("None");
        assertThat(transitions()).as("nothing promoted, ever").isEmpty();
        assertThat(NeuralHive.restartedAt(client)).isNotNull();
        assertThat(pages(2)).containsExactly("rollback-failed", "rolled-back");
    }

    private void whenPromoting(Runnable fault) {
        onStep = step -> {
            if (step.after().current().state() == RemediationState.PROMOTING
                    && step.before().current().state() == RemediationState.VALIDATING) {
                fault.run();
            }
        };
    }

    @ParameterizedTest(name = "MLflow {0} when promoting")
    @EnumSource(Fault.class)
    void givenMlflowFailsWhenPromoting_whenFollowedUp_thenThePromotionIsRetriedAndNothingElseHappensUntilItAnswers(
            Fault fault) {
        whenPromoting(() -> fault.apply(mlflow));
        engine.runCycle();
        trainingRegisters(12.0);

        engine.followUp();
        engine.followUp();

        TargetRecord stuck = record();
        assertThat(stuck.current().state()).isEqualTo(RemediationState.PROMOTING);
        assertThat(stuck.progress().done()).as("nothing recorded as done").isEmpty();
        assertThat(NeuralHive.restartedAt(client)).as("no restart before the promotion").isNull();
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Production");
        assertThat(failures).hasSize(2).allSatisfy(f -> assertThat(f)
                .startsWith("ticket-duration-predictor v8 -> stage Production: MLflow ").contains(fault.said()));
        assertThat(actionFailedEvents()).hasSize(2);

        mlflow.heal();
        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.VERIFYING);
        assertThat(mlflow.model(MODEL).stageOf("8")).isEqualTo("Production");
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Archived");
        assertThat(transitions()).containsExactly("8->Production");
        assertThat(record().progress().actions().getFirst())
                .isEqualTo("ticket-duration-predictor v8 -> stage Production (was v7)");
        assertThat(NeuralHive.restartedAt(client)).isNotNull();
    }

    @Test
    void givenThePromotionHappenedButItsAnswerWasLost_whenFollowedUp_thenTheRetryFindsV8ServingAndPromotesNoMore() {
        whenPromoting(() -> mlflow.hang("model-versions/transition-stage", 5_000));
        engine.runCycle();
        trainingRegisters(12.0);

        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.PROMOTING);
        assertThat(failures).singleElement().asString().contains("no answer within guardian.mlflow.timeout");
        assertThat(mlflow.model(MODEL).stageOf("8")).as("MLflow did it").isEqualTo("Production");

        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.VERIFYING);
        assertThat(record().progress().actions().getFirst())
                .isEqualTo("ticket-duration-predictor v8 -> stage Production (already serving)");
        assertThat(transitions()).as("the client's one retry of the lost call, nothing after")
                .containsExactly("8->Production", "8->Production");
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Archived");
    }

    @Test
    void givenMlflowRefusesThePromotion_whenPromoting_thenTheRemediationRollsBackToV7() {
        whenPromoting(() -> mlflow.failNext(1, 400));
        engine.runCycle();
        trainingRegisters(12.0);

        engine.followUp();

        TargetRecord end = record();
        assertThat(end.current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(end.last().orElseThrow().reason()).startsWith("promotion failed: ticket-duration-predictor v8 ->"
                + " stage Production: MLflow ").contains("HTTP 400");
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Production");
        assertThat(transitions()).isEmpty();
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
    }

    @ParameterizedTest(name = "MLflow {0} during the rollback")
    @EnumSource(Fault.class)
    void givenMlflowFailsDuringARollbackAfterABadPromotion_whenFollowedUp_thenRetriedWithAnAlertEachTimeUntilV7IsBack(
            Fault fault) {
        engine.runCycle();
        trainingRegisters(12.0);
        engine.followUp();
        assertThat(mlflow.model(MODEL).stageOf("8")).isEqualTo("Production");
        fault.apply(mlflow);

        clock.advance(Duration.ofMinutes(5)); // the verify window: the trigger is still firing when it ends
        engine.runCycle();
        engine.followUp();

        TargetRecord stuck = record();
        assertThat(stuck.current().state()).isEqualTo(RemediationState.ROLLING_BACK);
        assertThat(stuck.progress().cause()).hasValueSatisfying(c -> assertThat(c).startsWith(
                "still breaching after the 5m verify window: ticket-duration-predictor/mae-ratio 1.72"));
        assertThat(NeuralHive.flag(client)).as("the flag is off already").isEqualTo("false");
        assertThat(mlflow.model(MODEL).stageOf("8")).isEqualTo("Production");
        assertThat(actionFailedEvents()).hasSize(2).allSatisfy(note -> assertThat(note)
                .contains("cannot ticket-duration-predictor v7 -> stage Production").contains(fault.said()));
        assertThat(pages(1)).containsExactly("rollback-failed");

        mlflow.heal();
        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(mlflow.model(MODEL).stageOf("7")).isEqualTo("Production");
        assertThat(mlflow.model(MODEL).stageOf("8")).isEqualTo("Archived");
        assertThat(record().last().orElseThrow().actions()).hasSize(5).element(3)
                .isEqualTo("ticket-duration-predictor v7 -> stage Production (was v8)");
        assertThat(pages(2)).containsExactly("rollback-failed", "rolled-back");
    }
}
