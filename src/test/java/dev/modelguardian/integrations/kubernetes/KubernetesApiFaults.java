package dev.modelguardian.integrations.kubernetes;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.FaultyApiServer.Call;
import dev.modelguardian.testing.FaultyApiServer.Fault;
import dev.modelguardian.testing.FaultyApiServer;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.Runbook.Outcome;
import dev.modelguardian.testing.Runbook.Path;
import dev.modelguardian.testing.Runbook;

/**
 * The Kubernetes API answers 409, 500, or nothing within the client's timeout (before or after it applied the
 * request) at each call the remediation makes, on the CRUD mock server with faults injected into the guardian's client
 * ({@link FaultyApiServer}; the client's own retries are off, so every fault reaches the guardian). The fault lasts
 * for the first engine call that meets it; then the API heals and the script goes on.
 *
 * <p>For each case: what that engine call came to (the {@link Effect}), with the message; that the cluster and the
 * state were consistent right after it (at most one Job, a Job only with its snapshot persisted, the state's
 * {@code jobCreated} only with the Job there, the flag off only while rolling back); and that the run ends exactly as
 * an undisturbed one (one Job, same history, versions, flag and restart), a not-started remediation aside.
 *
 * <p>The calls of the state, the registry step and the Events are here; each way of training has its own calls and
 * its own table of faults: {@link KubernetesApiFaultsTest} (Jobs from a CronJob) and {@link ArgoWorkflowApiFaultsTest}
 * (Workflows from a WorkflowTemplate), each a static {@code faults()}. Not a test class itself: Quarkus makes each
 * test class a bean, and a test class extending another would make the parent's bean ambiguous.
 */
abstract class KubernetesApiFaults {

    static final String CORE = "/api/v1/namespaces/" + NAMESPACE;

    /** The target's own state ConfigMap. */
    static final String TARGET_STATE = ConfigMapStateStore.shardName("model-guardian-state", NeuralHive.CRON_JOB);
    /**
     * A read of the state: a cycle's one list of its ConfigMaps by label (no informer runs in these tests), or one of
     * them by name.
     */
    static final Call READ_STATE = new Call("read state ConfigMap", "GET",
            r -> r.getPath().startsWith(CORE + "/configmaps?labelSelector=model-guardian.dev")
                    || r.getPath().startsWith(CORE + "/configmaps/model-guardian-state"));
    /** The write that records the Job as created: the one after which a duplicate Job would be possible. */
    static final Call WRITE_STATE_JOB_CREATED = new Call("write state ConfigMap (Job created)", "PUT",
            r -> r.getPath().startsWith(CORE + "/configmaps/model-guardian-state")
                    && Call.body(r).contains("\\\"jobCreated\\\":true"));
    static final Call READ_FLAGS = Call.of("read flag ConfigMap", "GET", CORE + "/configmaps/"
            + NeuralHive.FLAG_CONFIG_MAP);
    static final Call PATCH_FLAGS = Call.of("patch flag ConfigMap", "PATCH", CORE + "/configmaps/"
            + NeuralHive.FLAG_CONFIG_MAP);
    static final Call READ_DEPLOYMENT = Call.of("read Deployment", "GET", "/apis/apps/v1/namespaces/" + NAMESPACE
            + "/deployments/" + NeuralHive.DEPLOYMENT);
    static final Call PATCH_DEPLOYMENT = Call.of("patch Deployment", "PATCH", "/apis/apps/v1/namespaces/" + NAMESPACE
            + "/deployments/" + NeuralHive.DEPLOYMENT);
    static final Call CREATE_EVENT = Call.of("create Event", "POST", "/apis/events.k8s.io/v1/namespaces/" + NAMESPACE
            + "/events");

    /** What the engine call that met the fault came to. */
    enum Effect {
        /** It ended where an undisturbed call ends: the fault was retried inside, or did not matter. */
        ABSORBED,
        /** It returned with the target held at its last persisted step; the next call redoes the failed action. */
        RETRIED,
        /** It threw (serve logs it and backs off); nothing after the last persisted step; the next call resumes. */
        CYCLE_FAILED,
        /** The remediation ended not_started before any Job; the next cycle starts a new one. */
        NOT_STARTED
    }

    /** Started for the class only (not when JUnit merely reads the cases). */
    static FaultyApiServer API;

    @BeforeAll
    static void startApi() {
        API = FaultyApiServer.start();
    }

    @AfterAll
    static void stopApi() {
        API.stop();
    }

    @Inject
    MutableClock clock;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    KubernetesClient world;
    KubernetesClient guardian;
    Runbook runbook;
    final List<String> failures = new CopyOnWriteArrayList<>();
    /** The undisturbed end of each path, and where each step left it, by training and path. */
    static final Map<String, Outcome> REFERENCE = new java.util.concurrent.ConcurrentHashMap<>();
    static final Map<String, List<String>> REFERENCE_STEPS = new java.util.concurrent.ConcurrentHashMap<>();

    /** What trains the target in this class's runs. */
    abstract Runbook.Training training();

    @BeforeEach
    void setUp() {
        world = API.worldClient();
        guardian = API.guardianClient();
        runbook = new Runbook(world, clock, policyEngine, models, training());
        failures.clear();
    }

    @AfterEach
    void tearDown() {
        API.healAll();
        clock.reset();
        guardian.close();
        world.close();
    }

    /** A guardian process on the faulty client: Events through the same client, failures noted. */
    private RemediationEngine engine() {
        EventsListener events = new EventsListener(new EventRecorder(guardian, NAMESPACE, "guardian-0", clock),
                NAMESPACE);
        return runbook.engine(guardian, s -> s, new RemediationListener() {
            @Override
            public void stepped(Step step) {
                events.stepped(step);
            }

            @Override
            public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
                failures.add(action + ": " + message);
                events.actionFailed(target, record, action, message);
            }
        }, () -> true);
    }

    /** Where the target stands, in the terms the comparison with an undisturbed run needs. */
    private String where() {
        TargetRecord r = runbook.record();
        return r == null ? "nothing stored" : r.current().state() + " jobCreated=" + r.current().jobCreated()
                + " done=" + r.progress().done() + " history=" + r.history().size() + " jobs=" + runbook.runs().size();
    }

    private String key(Path path) {
        return training() + " " + path;
    }

    private void reference(Path path) {
        if (REFERENCE.containsKey(key(path))) {
            return;
        }
        runbook.reset();
        RemediationEngine engine = engine();
        List<String> steps = new ArrayList<>();
        for (Runbook.Step step : runbook.script(path)) {
            step.action().accept(engine);
            steps.add(where());
        }
        REFERENCE.put(key(path), runbook.outcome());
        REFERENCE_STEPS.put(key(path), steps);
    }

    @ParameterizedTest(name = "{0} answers {1} ({2}): {3}")
    @MethodSource("faults")
    void givenTheApiFailsACall_whenTheRunbookRuns_thenTheCallIsRetriedWhereRightWithOneJobAndConsistentState(Call call,
            Fault fault, Path path, Effect effect, String message) {
        reference(path);
        runbook.reset();
        FaultyApiServer.Injection injection = API.inject(call, fault);
        List<Runbook.Step> script = runbook.script(path);
        Effect seen = null;
        String said = null;
        for (int i = 0; i < script.size(); i++) {
            Runbook.Step step = script.get(i);
            if (!step.engine() || seen != null) {
                step.action().accept(engine());
                continue;
            }
            RuntimeException thrown = null;
            try {
                step.action().accept(engine());
            } catch (RuntimeException e) {
                thrown = e;
            }
            if (injection.hits() == 0) {
                if (thrown != null) {
                    throw thrown;
                }
                continue;
            }
            injection.heal();
            assertConsistent();
            TargetRecord record = runbook.record();
            boolean notStarted = record != null && record.last().map(h -> h.outcome()
                    == HistoryEntry.Outcome.NOT_STARTED).orElse(false);
            seen = thrown != null ? Effect.CYCLE_FAILED : notStarted ? Effect.NOT_STARTED
                    : where().equals(REFERENCE_STEPS.get(key(path)).get(i)) ? Effect.ABSORBED : Effect.RETRIED;
            said = thrown != null ? thrown.getMessage() : failures.isEmpty() ? "" : failures.getLast();
            // The next cycle, re-list or retry: the same call again, on a healed API.
            step.action().accept(engine());
        }

        assertThat(injection.hits()).as("the fault was met").isPositive();
        assertThat(seen).as("what the faulted call came to (%s)", said).isEqualTo(effect);
        assertThat(said).contains(message);
        Outcome expected = REFERENCE.get(key(path));
        Outcome end = runbook.outcome();
        if (effect == Effect.NOT_STARTED) {
            assertThat(end.history()).hasSize(expected.history().size() + 1);
            assertThat(end.history().getFirst()).contains("NOT_STARTED");
            end = new Outcome(end.state(), end.history().subList(1, end.history().size()), end.jobs(),
                    end.production(), end.flag(), end.restartedAt(), end.flagsToRestore());
        }
        assertThat(end).isEqualTo(expected);
    }

    @Test
    void givenOneConflictOnTheStateWrite_whenTheJobIsRecorded_thenTheStoreRereadsAndTheRunIsUndisturbed() {
        reference(Path.PROMOTED);
        runbook.reset();
        FaultyApiServer.Injection once = API.inject(WRITE_STATE_JOB_CREATED, Fault.CONFLICT, 0, 1);
        List<Runbook.Step> script = runbook.script(Path.PROMOTED);

        script.getFirst().action().accept(engine());

        assertThat(once.hits()).isEqualTo(1);
        assertThat(where()).isEqualTo(REFERENCE_STEPS.get(key(Path.PROMOTED)).getFirst());
        script.subList(1, script.size()).forEach(step -> step.action().accept(engine()));
        assertThat(runbook.outcome()).isEqualTo(REFERENCE.get(key(Path.PROMOTED)));
    }

    /** Nothing half done: at most one run, a run only after its snapshot, jobCreated only with the run there. */
    private void assertConsistent() {
        Map<String, Map<String, String>> runs = runbook.runLabels();
        assertThat(runs).as("training runs").hasSizeLessThanOrEqualTo(1);
        TargetRecord record = runbook.record();
        if (record == null) {
            assertThat(runs).isEmpty();
            return;
        }
        for (Map<String, String> labels : runs.values()) {
            String id = labels.get(TrainingLabels.REMEDIATION_ID);
            assertThat(record.progress().hasSnapshotFor(id)).as("snapshot of %s persisted before its run", id)
                    .isTrue();
        }
        if (record.current().jobCreated()) {
            assertThat(runs.keySet()).as("the run the state says exists")
                    .contains(record.current().jobName().orElseThrow());
        }
        if ("false".equals(NeuralHive.flag(world))) {
            assertThat(record.current().state()).as("the flag is off only by a rollback")
                    .isIn(RemediationState.ROLLING_BACK, RemediationState.ROLLED_BACK);
        }
    }
}
