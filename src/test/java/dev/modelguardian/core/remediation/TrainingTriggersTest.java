package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** Each target's training calls go to the trigger of its kind; a kind nobody configured is a permanent failure. */
class TrainingTriggersTest {

    static final TargetSpec BY_CRONJOB = new TargetSpec("a", "ml-training", List.of("m1"));
    static final TargetSpec BY_WORKFLOW = new TargetSpec("b", new Trainer("argo-workflow", "WorkflowTemplate",
            "ml-retrain", "Workflow", "argoproj.io/v1alpha1"), List.of("m2"), RecoverySpec.NONE);

    /** A trigger that notes every call with its own name. */
    static final class Noting implements TrainingTrigger {
        final String name;
        final List<String> calls;

        Noting(String name, List<String> calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public Optional<String> running(TargetSpec target, Optional<String> excluding) {
            calls.add(name + " running " + target.name());
            return Optional.of(name + "-run");
        }

        @Override
        public JobObservation observe(TargetSpec target, String runName) {
            calls.add(name + " observe " + runName);
            return new JobObservation.Succeeded();
        }

        @Override
        public void start(TargetSpec target, String runName, String remediationId, String why) {
            calls.add(name + " start " + runName + " " + remediationId);
        }

        @Override
        public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
            calls.add(name + " log " + runName);
            return LogTail.of(name, List.of(), false);
        }

        @Override
        public Watch followLog(TargetSpec target, String runName, LogSink sink) {
            calls.add(name + " follow " + runName);
            return () -> calls.add(name + " unfollowed");
        }

        @Override
        public Watch watch(Consumer<String> onEnded) {
            calls.add(name + " watch");
            return () -> calls.add(name + " closed");
        }
    }

    @Test
    void givenTargetsOfTwoKinds_whenTheirRunsAreStartedAndObserved_thenEachCallGoesToTheTriggerOfItsKind() {
        List<String> calls = new ArrayList<>();
        TrainingTriggers triggers = TrainingTriggers.of(Map.of("cronjob", new Noting("jobs", calls),
                "argo-workflow", new Noting("workflows", calls)));

        triggers.start(BY_CRONJOB, "r-1", "id1", "why");
        triggers.start(BY_WORKFLOW, "r-2", "id2", "why");
        triggers.observe(BY_WORKFLOW, "r-2");
        assertThat(triggers.running(BY_CRONJOB, Optional.empty())).contains("jobs-run");

        assertThat(calls).containsExactly("jobs start r-1 id1", "workflows start r-2 id2", "workflows observe r-2",
                "jobs running a");
    }

    @Test
    void givenTargetsOfTwoKinds_whenTheirLogsAreReadAndFollowed_thenEachCallGoesToTheTriggerOfItsKind() {
        List<String> calls = new ArrayList<>();
        TrainingTriggers triggers = TrainingTriggers.of(Map.of("cronjob", new Noting("jobs", calls),
                "argo-workflow", new Noting("workflows", calls)));

        assertThat(triggers.logTail(BY_WORKFLOW, "r-2", LogTail.Limits.DEFAULT).source()).isEqualTo("workflows");
        triggers.followLog(BY_CRONJOB, "r-1", null).close();

        assertThat(calls).containsExactly("workflows log r-2", "jobs follow r-1", "jobs unfollowed");
    }

    @Test
    void givenATargetOfAKindNotConfigured_whenItsRunIsStarted_thenItIsAPermanentFailureNamingTheConfiguredKinds() {
        TrainingTriggers triggers = TrainingTriggers.of(Map.of("cronjob", new Noting("jobs", new ArrayList<>())));

        assertThatThrownBy(() -> triggers.start(BY_WORKFLOW, "r", "id", "why"))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("target b is trained by the argo-workflow trigger, which is"
                            + " not configured (configured: cronjob)");
                });
    }

    @Test
    void givenTwoTriggers_whenWatchedAndClosed_thenBothWatchesStartAndBothClose() {
        List<String> calls = new ArrayList<>();
        TrainingTriggers triggers = TrainingTriggers.of(Map.of("cronjob", new Noting("jobs", calls),
                "argo-workflow", new Noting("workflows", calls)));

        triggers.watch(name -> {
        }).close();

        assertThat(calls).containsExactly("workflows watch", "jobs watch", "workflows closed", "jobs closed");
    }

    @Test
    void givenACronJobTrainer_whenDescribed_thenItSaysJobAndCronJobAsBefore() {
        Trainer trainer = BY_CRONJOB.trainer();

        assertThat(trainer.source()).isEqualTo("CronJob ml-training");
        assertThat(trainer.run("ml-retrain-emergency-1")).isEqualTo("Job ml-retrain-emergency-1");
        assertThat(trainer.cronJob()).contains("ml-training");
        assertThat(BY_WORKFLOW.trainer().cronJob()).isEmpty();
    }
}
