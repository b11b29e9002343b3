package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.registry.InMemoryModelRegistry;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.ModelServerResources;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.RecordingListener;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * The whole runbook after training, on the fabric8 mock server in CRUD mode (Neural Hive's CronJob, flag ConfigMap
 * and Deployment) with a registry holding the duration predictor v1..v7, v7 in Production: validation, promotion,
 * the verify window, and every way to a rollback, including a crash at each rollback step.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class RegistryStepTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final String MODEL = "ticket-duration-predictor";

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    RecordingListener recorded;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    @Inject
    dev.modelguardian.integrations.kubernetes.EventRecorder events;

    InMemoryModelRegistry registry;

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        clock.set(T0);
        recorded.clear();
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
        registry = new InMemoryModelRegistry();
        registry.addExperiment(RegistryProfile.EXPERIMENT, "1");
        for (int v = 1; v <= 7; v++) {
            registry.register(MODEL, T0.minus(Duration.ofDays(8 - v)), "1", Map.of("mae_percentage", 13.0 + v / 10.0));
        }
        registry.setStage(MODEL, "7", "Production");
    }

    @AfterEach
    void tearDown() {
        clock.reset();
    }

    private RemediationEngine engine(StateStore store, ModelRegistry r) {
        RemediationPolicy policy = new RemediationPolicy(Duration.ofHours(1), 3, false, false, Duration.ofMinutes(45),
                Duration.ofMinutes(5), "ml-retrain-emergency");
        return new RemediationEngine(policyEngine, Policies.from(models), KubeBeans.targets(models, true), store,
                new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), clock), policy, 50, clock, listeners(),
                () -> true, Optional.of(r), new ModelServerResources(client, NAMESPACE));
    }

    /** What the application hangs off the engine that matters here: the recording and the Events. */
    private RemediationListener listeners() {
        dev.modelguardian.integrations.kubernetes.EventsListener toEvents = new dev.modelguardian.integrations.kubernetes.EventsListener(events, NAMESPACE);
        return new RemediationListener() {
            @Override
            public void stepped(Step step) {
                recorded.stepped(step);
                toEvents.stepped(step);
            }

            @Override
            public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
                recorded.actionFailed(target, record, action, message);
                toEvents.actionFailed(target, record, action, message);
            }
        };
    }

    private RemediationEngine engine() {
        return engine(store(), registry);
    }

    private ConfigMapStateStore store() {
        return new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state");
    }

    private TargetRecord record() {
        return store().load().targets().get(CRON_JOB);
    }

    private String onlyJob() {
        List<Job> jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
        assertThat(jobs).hasSize(1);
        return jobs.getFirst().getMetadata().getName();
    }

    /** The training run: registers v8 with {@code mae} ten minutes in, and the Job completes. */
    private void trainingRegisters(double mae, boolean promotesItself) {
        String v = registry.register(MODEL, T0.plus(Duration.ofMinutes(10)), "1", Map.of("mae_percentage", mae));
        if (promotesItself) {
            registry.promote(new dev.modelguardian.core.registry.RegistryModel(MODEL,
                    dev.modelguardian.core.registry.RegistryModel.Mode.STAGE, "champion"), v);
        }
        NeuralHive.finish(client, onlyJob(), "Complete", null);
        clock.advance(Duration.ofMinutes(20));
    }

    private String production() {
        return registry.all(MODEL).stream().filter(v -> v.stage().equals("Production")).map(ModelVersion::version)
                .reduce((a, b) -> a + "," + b).orElse("none");
    }

    @Test
    void givenAFiringTarget_whenRetrainingStarts_thenTheSnapshotIsPersistedBeforeTheJobExists() {
        engine().runCycle();

        Snapshot snapshot = record().progress().snapshot().orElseThrow();
        assertThat(snapshot.models().get(MODEL).version()).isEqualTo("7");
        assertThat(snapshot.models().get(MODEL).metrics()).containsEntry("mae_percentage", 13.7);
        assertThat(snapshot.values()).containsEntry(NeuralHive.FLAG, Optional.of("true"));
        int snapshotStep = indexOf(Decision.TakeSnapshot.class);
        int createStep = indexOf(Decision.CreateJob.class);
        assertThat(snapshotStep).isLessThan(createStep);
    }

    @Test
    void givenAGoodCandidate_whenTheJobCompletes_thenPromotedRestartedAndVerifiedHealthy() {
        RemediationEngine engine = engine();
        engine.runCycle();
        trainingRegisters(12.0, false);

        engine.followUp();

        assertThat(production()).isEqualTo("8");
        assertThat(registry.version(MODEL, "7").stage()).isEqualTo("Archived");
        assertThat(NeuralHive.restartedAt(client)).isEqualTo(T0.plus(Duration.ofMinutes(20)).toString());
        assertThat(record().current().state()).isEqualTo(RemediationState.VERIFYING);

        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY);
        engine.runCycle();
        assertThat(record().current().state()).as("healthy, but the window is not over").isEqualTo(
                RemediationState.VERIFYING);
        clock.advance(Duration.ofMinutes(5));
        engine.runCycle();

        TargetRecord end = record();
        assertThat(end.current().state()).isEqualTo(RemediationState.HEALTHY);
        HistoryEntry last = end.last().orElseThrow();
        assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.PROMOTED);
        assertThat(last.verdict().orElseThrow().summary())
                .isEqualTo("ticket-duration-predictor v8 passed (mae_percentage 12 < 15, mae_percentage 12 vs v7 13.7:"
                        + " not worse)");
        assertThat(last.actions()).containsExactly("ticket-duration-predictor v8 -> stage Production (was v7)",
                "Deployment orchestrator-dynamic restarted (restartedAt 2026-11-24T03:20:00Z)");
        assertThat(NeuralHive.flag(client)).isEqualTo("true");
        assertThat(recorded.path()).containsSubsequence(RemediationState.VALIDATING, RemediationState.PROMOTING,
                RemediationState.VERIFYING, RemediationState.HEALTHY);
    }

    @Test
    void givenACandidateOverTheBound_whenValidated_thenRollbackRestoresFlagAndVersionAndRestarts() {
        RemediationEngine engine = engine();
        engine.runCycle();
        // The training script promoted its own bad version: rollback must put v7 back.
        trainingRegisters(17.5, true);

        engine.followUp();

        TargetRecord end = record();
        assertThat(end.current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
        assertThat(production()).isEqualTo("7");
        assertThat(registry.version(MODEL, "8").stage()).isEqualTo("Archived");
        assertThat(NeuralHive.restartedAt(client)).isEqualTo(T0.plus(Duration.ofMinutes(20)).toString());
        var annotations = client.configMaps().inNamespace(NAMESPACE).withName(NeuralHive.FLAG_CONFIG_MAP).get()
                .getMetadata().getAnnotations();
        assertThat(annotations).containsEntry(ModelServerResources.PREVIOUS_VALUES,
                "{\"ENABLE_ML_ENHANCED_SCHEDULING\":\"true\"}");
        HistoryEntry last = end.last().orElseThrow();
        assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
        assertThat(last.reason()).startsWith("validation failed: ticket-duration-predictor v8 failed"
                + " (mae_percentage 17.5 not < 15")
                .contains("set config.scheduler.enableMlEnhancedScheduling=false in the Helm values");
        assertThat(end.flagsToRestore()).containsEntry(NeuralHive.FLAG, Optional.of("true"));
        assertThat(client.events().v1().events().inNamespace(NAMESPACE).list().getItems()).extracting(Event::getReason)
                .contains("SnapshotTaken", "RollingBack", "FlagsChanged", "VersionPromoted", "ModelServerRestarted",
                        "RolledBack");
    }

    @Test
    void givenTheTrainingJobFailed_whenObserved_thenRollbackTurnsTheFlagOffAndRestarts() {
        RemediationEngine engine = engine();
        engine.runCycle();
        NeuralHive.finish(client, onlyJob(), "Failed", "DeadlineExceeded");

        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
        assertThat(production()).isEqualTo("7");
        assertThat(record().last().orElseThrow().reason()).startsWith("Job " + onlyJob()
                + " failed: DeadlineExceeded; rolled back:");
    }

    @Test
    void givenTheTriggerStillFiringWhenTheVerifyWindowEnds_whenChecked_thenRollbackRestoresThePreviousVersion() {
        RemediationEngine engine = engine();
        engine.runCycle();
        trainingRegisters(12.0, false);
        engine.followUp();
        assertThat(production()).isEqualTo("8");

        clock.advance(Duration.ofMinutes(1));
        engine.runCycle();
        assertThat(record().current().state()).isEqualTo(RemediationState.VERIFYING);
        assertThat(production()).isEqualTo("8");

        clock.advance(Duration.ofMinutes(4));
        engine.runCycle();

        assertThat(record().current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(production()).isEqualTo("7");
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
        assertThat(record().last().orElseThrow().reason()).startsWith("still breaching after the 5m verify window:"
                + " ticket-duration-predictor/mae-ratio 1.72 (> 1.5)");
    }

    @Test
    void givenTheRegistryAnswers503DuringValidation_whenFollowedUp_thenNothingIsPromotedUntilItAnswers() {
        RemediationEngine engine = engine();
        engine.runCycle();
        trainingRegisters(12.0, false);
        registry.failWith(new ModelRegistry.RegistryException("MLflow answered HTTP 503 (after 3 tries)", true, null));

        engine.followUp();
        clock.advance(Duration.ofMinutes(2));
        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.VALIDATING);
        assertThat(record().reason()).isEqualTo("Job " + onlyJob() + " complete");
        registry.heal();
        assertThat(production()).as("nothing promoted while MLflow was down").isEqualTo("7");

        engine.followUp();
        assertThat(production()).isEqualTo("8");
    }

    @Test
    void givenTheRegistryStaysDownPastTheWait_whenFollowedUp_thenItRollsBackWithoutPromotingAndRetriesTheRestore() {
        RemediationEngine engine = engine();
        engine.runCycle();
        trainingRegisters(12.0, false);
        registry.failWith(new ModelRegistry.RegistryException("MLflow did not answer within 10s", true, null));
        engine.followUp();

        clock.advance(Duration.ofMinutes(6));
        engine.followUp();

        assertThat(record().current().state()).as("the version restore is retried").isEqualTo(
                RemediationState.ROLLING_BACK);
        assertThat(NeuralHive.flag(client)).as("the flag is off already").isEqualTo("false");
        assertThat(recorded.failures()).anySatisfy(f -> assertThat(f).contains("MLflow did not answer"));
        registry.heal();
        assertThat(production()).isEqualTo("7");

        engine.followUp();

        assertThat(record().current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(record().last().orElseThrow().reason()).startsWith("validation impossible: registry unreadable"
                + " for 6m: MLflow did not answer within 10s");
        assertThat(production()).isEqualTo("7");
    }

    @Test
    void givenNoProductionVersion_whenRetrainingWouldStart_thenNoJobIsCreatedAndTheReasonNamesTheFix() {
        registry.setStage(MODEL, "7", "Archived");

        engine().runCycle();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        HistoryEntry last = record().last().orElseThrow();
        assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.NOT_STARTED);
        assertThat(last.reason()).isEqualTo("no snapshot, so no remediation: model ticket-duration-predictor has no"
                + " version in stage Production to snapshot; promote one by hand first, or remove the model from"
                + " target " + CRON_JOB);
        assertThat(NeuralHive.flag(client)).isEqualTo("true");
    }

    @Test
    void givenTheFlagConfigMapIsMissing_whenRetrainingWouldStart_thenNoJobIsCreatedAndNothingChanged() {
        client.configMaps().inNamespace(NAMESPACE).withName(NeuralHive.FLAG_CONFIG_MAP).delete();

        engine().runCycle();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(record().last().orElseThrow().reason()).contains("ConfigMap neural-hive/orchestrator-dynamic-config"
                + " not found");
        assertThat(recorded.failures()).isNotEmpty();
    }

    @Test
    void givenTheFlagKeyIsMissing_whenRetrainingWouldStart_thenNoJobAndTheReasonNamesTheKeyAndTheFix() {
        client.configMaps().inNamespace(NAMESPACE).withName(NeuralHive.FLAG_CONFIG_MAP).edit(cm -> {
            cm.getData().remove(NeuralHive.FLAG);
            return cm;
        });

        engine().runCycle();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(record().last().orElseThrow().reason()).isEqualTo("no snapshot, so no remediation: ConfigMap"
                + " orchestrator-dynamic-config has no key ENABLE_ML_ENHANCED_SCHEDULING; fix targets." + CRON_JOB
                + ".rollback.keys or the ConfigMap");
    }

    @Test
    void givenTheDeploymentIsMissing_whenRetrainingWouldStart_thenNoJobAndTheReasonSaysHowToFixIt() {
        client.apps().deployments().inNamespace(NAMESPACE).withName(NeuralHive.DEPLOYMENT).delete();

        engine().runCycle();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(record().last().orElseThrow().reason()).contains("Deployment neural-hive/orchestrator-dynamic not"
                + " found").contains("set restart: false");
    }

    @Test
    void givenTheModelIsMissingFromTheRegistry_whenRetrainingWouldStart_thenNoJobIsCreated() {
        RemediationEngine engine = engine(store(), new InMemoryModelRegistry());

        engine.runCycle();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(record().last().orElseThrow().reason()).contains("model ticket-duration-predictor has no version"
                + " in stage Production to snapshot");
    }

    @Test
    void givenTheRegistryIsUnreachable_whenRetrainingWouldStart_thenNoJobAndAnActionFailedEvent() {
        registry.failWith(new ModelRegistry.RegistryException("cannot connect to MLflow (Connection refused)", true,
                null));

        engine().runCycle();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(record().last().orElseThrow().outcome()).isEqualTo(HistoryEntry.Outcome.NOT_STARTED);
        assertThat(client.events().v1().events().inNamespace(NAMESPACE).list().getItems())
                .anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("ActionFailed");
                    assertThat(e.getNote()).contains("take the snapshot rollback needs")
                            .contains("cannot connect to MLflow");
                });
        assertThat(NeuralHive.flag(client)).isEqualTo("true");
    }

    /**
     * The engine dies after each persisted step of a rollback (the verdict, the flag, the version, the restart); a
     * fresh engine on the same cluster ends in the same state as an uninterrupted rollback.
     */
    @ParameterizedTest(name = "crash after {0} writes")
    @ValueSource(ints = { 5, 6, 7, 8, 9 })
    void givenACrashAtARollbackStep_whenANewEngineRuns_thenTheRollbackCompletesIdentically(int writes) {
        RemediationEngine dying = engine(new CrashResumeTest.CrashingStore(store(), writes), registry);
        dying.runCycle();
        trainingRegisters(17.5, true);
        try {
            dying.followUp();
        } catch (CrashResumeTest.Crash expected) {
            // the process died here
        }
        assertThat(record().current().state()).isIn(RemediationState.VALIDATING, RemediationState.ROLLING_BACK);

        engine().followUp();

        TargetRecord end = record();
        assertThat(end.current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
        assertThat(production()).isEqualTo("7");
        assertThat(NeuralHive.restartedAt(client)).isEqualTo(T0.plus(Duration.ofMinutes(20)).toString());
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        assertThat(end.history()).singleElement().satisfies(h -> {
            assertThat(h.outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
            assertThat(h.actions()).hasSize(3);
        });
    }

    private int indexOf(Class<? extends Decision> type) {
        List<RemediationListener.Step> steps = recorded.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (type.isInstance(steps.get(i).decision())) {
                return i;
            }
        }
        throw new AssertionError("no step " + type.getSimpleName() + " in " + steps);
    }
}
