package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.Runbook.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.Runbook.Outcome;
import dev.modelguardian.testing.Runbook.Path;
import dev.modelguardian.testing.Runbook;

/**
 * The process dies at every persisted transition of every path of the runbook (promotion, the three ways to a
 * rollback, a rollback by hand, a forced remediation followed by {@code remediate}'s wait loop and run again while
 * verifying): just before the write (whatever was done for it is done, nothing recorded), and
 * just after it (recorded, the next action not started) where that differs from dying before the next write. A
 * fresh process on the same cluster and registry then finishes the script, and the end must be the end of an
 * undisturbed run: the same state, the same history entry, one Job, the same serving version, flag and restart.
 *
 * <p>{@link CrashResumeTest} does the same without a registry; this matrix covers the registry step. It runs once
 * per way of training: {@link CrashAtEveryStepTest} (a Job from Neural Hive's CronJob) and
 * {@link ArgoWorkflowCrashAtEveryStepTest} (a Workflow from a WorkflowTemplate). Not a test class itself: Quarkus makes
 * each test class a bean, and a test class extending another would make the parent's bean ambiguous.
 */
abstract class CrashAtEveryStep {

    enum When {
        BEFORE,
        AFTER
    }

    /**
     * Every target write of each path, in order, as {@link #describe} names it: the crash points. The guard test
     * below checks that an undisturbed run writes exactly these.
     */
    static final Map<Path, List<String>> WRITES = new EnumMap<>(Map.of(
            Path.PROMOTED, List.of("FIRING", "RETRAINING", "snapshot", "Job created", "VALIDATING", "PROMOTING",
                    "done promote", "done restart", "VERIFYING", "HEALTHY ended PROMOTED"),
            Path.VALIDATION_FAILED, List.of("FIRING", "RETRAINING", "snapshot", "Job created", "VALIDATING",
                    "ROLLING_BACK", "done set-keys", "done promote", "done restart", "ROLLED_BACK ended ROLLED_BACK"),
            Path.VERIFY_BREACH, List.of("FIRING", "RETRAINING", "snapshot", "Job created", "VALIDATING", "PROMOTING",
                    "done promote", "done restart", "VERIFYING", "ROLLING_BACK", "done set-keys", "done promote",
                    "done restart", "ROLLED_BACK ended ROLLED_BACK"),
            Path.TRAINING_FAILED, List.of("FIRING", "RETRAINING", "snapshot", "Job created", "ROLLING_BACK",
                    "done set-keys", "done promote", "done restart", "ROLLED_BACK ended ROLLED_BACK"),
            Path.MANUAL_ROLLBACK, List.of("ROLLING_BACK", "done set-keys", "done promote", "done restart",
                    "ROLLED_BACK ended ROLLED_BACK"),
            Path.FORCED_PROMOTED, List.of("FIRING", "RETRAINING", "snapshot", "Job created", "VALIDATING",
                    "PROMOTING", "done promote", "done restart", "VERIFYING", "HEALTHY ended PROMOTED")));

    /** The undisturbed end of each path, by training and path: computed once per class run. */
    static final Map<String, Outcome> REFERENCE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The process dies at target write {@code crashAt} (0-based), before or after it; notes every write. */
    static final class DyingStore implements StateStore {
        private final StateStore delegate;
        private final int crashAt;
        private final When when;
        private int writes;
        final List<String> written = new ArrayList<>();
        String crashedAt;

        DyingStore(StateStore delegate, int crashAt, When when) {
            this.delegate = delegate;
            this.crashAt = crashAt;
            this.when = when;
        }

        @Override
        public GuardianState load() {
            return delegate.load();
        }

        @Override
        public boolean compareAndSet(String target, long expectedRevision, TargetRecord next) {
            String what = describe(delegate.load().targets().get(target), next);
            int n = writes++;
            if (n == crashAt && when == When.BEFORE) {
                crashedAt = what;
                throw new CrashResumeTest.Crash();
            }
            boolean ok = delegate.compareAndSet(target, expectedRevision, next);
            if (ok) {
                written.add(what);
            }
            if (n == crashAt && when == When.AFTER) {
                crashedAt = what;
                throw new CrashResumeTest.Crash();
            }
            return ok;
        }

        @Override
        public void savePolicies(Map<String, PolicyStatus> statuses) {
            delegate.savePolicies(statuses);
        }
    }

    /** What one write persists: a new state, the end of a remediation, an action done, the snapshot, the Job. */
    static String describe(TargetRecord before, TargetRecord after) {
        RemediationState from = before == null ? RemediationState.HEALTHY : before.current().state();
        int history = before == null ? 0 : before.history().size();
        if (after.history().size() > history) {
            return after.current().state() + " ended " + after.last().orElseThrow().outcome();
        }
        if (from != after.current().state()) {
            return after.current().state().name();
        }
        if (before != null && after.progress().done().size() > before.progress().done().size()) {
            return "done " + after.progress().done().getLast().split(":")[0];
        }
        if (after.current().jobCreated() && (before == null || !before.current().jobCreated())) {
            return "Job created";
        }
        if (after.progress().snapshot().isPresent() && (before == null
                || !after.progress().snapshot().equals(before.progress().snapshot()))) {
            return "snapshot";
        }
        return "other: " + after.reason();
    }

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    Runbook runbook;

    @BeforeEach
    void setUp() {
        runbook = new Runbook(client, clock, policyEngine, models, training());
    }

    @AfterEach
    void tearDown() {
        clock.reset();
    }

    /** The end of an undisturbed run of {@code path}, and the writes it made. */
    private Outcome reference(Path path, List<String> writes) {
        runbook.reset();
        DyingStore[] store = new DyingStore[1];
        RemediationEngine engine = runbook.engine(client, s -> store[0] = new DyingStore(s, -1, When.BEFORE),
                RemediationListener.NONE, () -> true);
        Outcome outcome = runbook.run(path, engine);
        writes.addAll(store[0].written);
        return outcome;
    }

    private Outcome reference(Path path) {
        String key = training() + " " + path;
        Outcome known = REFERENCE.get(key);
        if (known == null) {
            known = reference(path, new ArrayList<>());
            REFERENCE.put(key, known);
        }
        return known;
    }

    /** What trains the target in this class's runs. */
    abstract Runbook.Training training();

    static Stream<Arguments> crashPoints() {
        List<Arguments> points = new ArrayList<>();
        WRITES.forEach((path, writes) -> {
            for (int i = 0; i < writes.size(); i++) {
                points.add(Arguments.of(path, i, When.BEFORE, writes.get(i)));
                // Dying after write i is dying before write i + 1, unless something is done in between: the Job
                // created, an action taken. (Reads and the world's moves between two engine calls change nothing
                // the fresh process would see differently.)
                boolean actionNext = i + 1 < writes.size() && (writes.get(i + 1).equals("Job created")
                        || writes.get(i + 1).startsWith("done "));
                if (actionNext || i == writes.size() - 1) {
                    points.add(Arguments.of(path, i, When.AFTER, writes.get(i)));
                }
            }
        });
        return points.stream();
    }

    @ParameterizedTest(name = "{0}: dies {2} write {1} ({3})")
    @MethodSource("crashPoints")
    void givenTheProcessDiesAtAPersistedTransition_whenAFreshOneFinishesTheScript_thenTheEndIsTheUndisturbedEnd(
            Path path, int write, When when, String transition) {
        Outcome expected = reference(path);
        runbook.reset();
        DyingStore[] dying = new DyingStore[1];
        RemediationEngine first = runbook.engine(client, s -> dying[0] = new DyingStore(s, write, when),
                RemediationListener.NONE, () -> true);
        List<Runbook.Step> script = runbook.script(path);
        int crashedIn = -1;
        for (int i = 0; i < script.size() && crashedIn < 0; i++) {
            try {
                script.get(i).action().accept(first);
            } catch (CrashResumeTest.Crash crash) {
                crashedIn = i;
            }
        }
        assertThat(crashedIn).as("the process died").isNotNegative();
        assertThat(dying[0].crashedAt).isEqualTo(transition);
        assertThat(runbook.runs()).as("training runs when the process died").hasSizeLessThanOrEqualTo(1);

        // A fresh process: the interrupted call again (the next cycle, the re-list, the command's retry), then the
        // rest of the script.
        RemediationEngine second = runbook.engine(client);
        for (int i = crashedIn; i < script.size(); i++) {
            script.get(i).action().accept(second);
        }

        if (path == Path.MANUAL_ROLLBACK && when == When.AFTER && write == WRITES.get(path).size() - 1) {
            // The rollback had finished when the process died; running it again is a second rollback by hand, which
            // changes nothing in the cluster and is recorded as a second (identical) history entry.
            List<String> twice = new ArrayList<>(expected.history());
            twice.addAll(expected.history());
            expected = new Outcome(expected.state(), twice, expected.jobs(), expected.production(), expected.flag(),
                    expected.restartedAt(), expected.flagsToRestore());
        }
        assertThat(runbook.outcome()).isEqualTo(expected);
    }

    @Test
    void givenEachPath_whenRunUndisturbed_thenItWritesExactlyTheCrashPointsAndEndsAsTheRunbookSays() {
        Map<Path, List<String>> seen = new EnumMap<>(Path.class);
        Map<Path, Outcome> ends = new EnumMap<>(Path.class);
        for (Path path : Path.values()) {
            List<String> writes = new ArrayList<>();
            ends.put(path, reference(path, writes));
            seen.put(path, writes);
        }

        assertThat(seen).isEqualTo(WRITES);
        String restarted = T0.plus(Duration.ofMinutes(20)).toString();
        for (Path promoted : List.of(Path.PROMOTED, Path.FORCED_PROMOTED)) {
            assertThat(ends.get(promoted)).as(promoted.name()).satisfies(o -> {
                assertThat(o.state()).isEqualTo(RemediationState.HEALTHY);
                assertThat(o.history()).singleElement().asString().contains("PROMOTED");
                assertThat(o.production()).isEqualTo("8");
                assertThat(o.flag()).isEqualTo("true");
                assertThat(o.restartedAt()).isEqualTo(restarted);
                assertThat(o.jobs()).isEqualTo(1);
            });
        }
        for (Path rolledBack : List.of(Path.VALIDATION_FAILED, Path.VERIFY_BREACH, Path.TRAINING_FAILED,
                Path.MANUAL_ROLLBACK)) {
            assertThat(ends.get(rolledBack)).as(rolledBack.name()).satisfies(o -> {
                assertThat(o.state()).isEqualTo(RemediationState.ROLLED_BACK);
                assertThat(o.history()).singleElement().asString().contains("ROLLED_BACK");
                assertThat(o.production()).isEqualTo("7");
                assertThat(o.flag()).isEqualTo("false");
                assertThat(o.restartedAt()).isNotNull();
                assertThat(o.jobs()).isEqualTo(rolledBack == Path.MANUAL_ROLLBACK ? 0 : 1);
            });
        }
    }
}
