package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.core.registry.InMemoryModelRegistry;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.ModelServer;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.integrations.metrics.GuardianMetrics;

/** Registry and model-server calls show up in guardian_external_call_seconds with their system and operation. */
class TimedClusterTest {

    static final RegistryModel MODEL = new RegistryModel("m", RegistryModel.Mode.STAGE, "champion");

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final GuardianMetrics metrics = new GuardianMetrics(meters);

    private long count(String system, String operation, String outcome) {
        var timer = meters.find("guardian.external.call").tags("system", system, "operation", operation, "outcome",
                outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void givenOneTargetsRecordAsked_whenTheTimedStoreReadsIt_thenOnlyThatTargetIsReadNotTheWholeState() {
        java.util.List<String> reads = new java.util.ArrayList<>();
        var store = new dev.modelguardian.core.remediation.StateStore() {
            @Override
            public dev.modelguardian.core.remediation.GuardianState load() {
                reads.add("whole state");
                return new dev.modelguardian.core.remediation.GuardianState(Map.of(), Map.of());
            }

            @Override
            public dev.modelguardian.core.remediation.TargetRecord target(String target, Instant now) {
                reads.add(target);
                return dev.modelguardian.core.remediation.TargetRecord.initial(now);
            }

            @Override
            public boolean compareAndSet(String target, long expectedRevision,
                    dev.modelguardian.core.remediation.TargetRecord next) {
                return false;
            }

            @Override
            public void savePolicies(Map<String, dev.modelguardian.core.policy.PolicyStatus> statuses) {
            }
        };
        var timed = TimedCluster.store(store, metrics);

        timed.target("orchestrator-dynamic-ml-training", Instant.parse("2026-11-24T03:00:00Z"));

        assertThat(reads).containsExactly("orchestrator-dynamic-ml-training");
        assertThat(count("kubernetes", "read_target", "ok")).isEqualTo(1);
        assertThat(count("kubernetes", "read_state", "ok")).isZero();
    }

    @Test
    void givenARegistryCall_whenItAnswers_thenItIsTimedAsAnMlflowCallThatSucceeded() {
        InMemoryModelRegistry memory = new InMemoryModelRegistry();
        String v = memory.register("m", Instant.parse("2026-11-24T03:00:00Z"), "1", Map.of());
        ModelRegistry timed = TimedCluster.registry(memory, metrics);

        timed.promote(MODEL, v);
        timed.serving(MODEL);

        assertThat(count("mlflow", "promote", "ok")).isEqualTo(1);
        assertThat(count("mlflow", "serving", "ok")).isEqualTo(1);
    }

    @Test
    void givenARegistryCall_whenItFails_thenItIsTimedAsAnErrorAndTheFailurePassesThrough() {
        InMemoryModelRegistry memory = new InMemoryModelRegistry();
        memory.failWith(new ModelRegistry.RegistryException("HTTP 503", true, null));
        ModelRegistry timed = TimedCluster.registry(memory, metrics);

        assertThatThrownBy(() -> timed.run("r1")).hasMessage("HTTP 503");
        assertThat(count("mlflow", "run", "error")).isEqualTo(1);
    }

    @Test
    void givenAModelServerCall_whenItFails_thenItIsTimedAsAKubernetesError() {
        ModelServer timed = TimedCluster.server(ModelServer.NONE, metrics);

        assertThatThrownBy(() -> timed.restart("orchestrator-dynamic", Instant.EPOCH))
                .hasMessage("no model server is configured");
        assertThat(count("kubernetes", "restart_deployment", "error")).isEqualTo(1);
    }

    @Test
    void givenTargetsTrainedByJobsAndByWorkflows_whenTheirRunsAreStartedAndObserved_thenEachIsTimedUnderItsRunKind() {
        dev.modelguardian.core.remediation.TrainingTrigger timed = TimedCluster.jobs(
                new dev.modelguardian.core.remediation.TrainingTrigger() {
                    @Override
                    public java.util.Optional<String> running(TargetSpec target, java.util.Optional<String> excluding) {
                        return java.util.Optional.empty();
                    }

                    @Override
                    public JobObservation observe(TargetSpec target, String runName) {
                        return new JobObservation.Succeeded();
                    }

                    @Override
                    public void start(TargetSpec target, String runName, String remediationId, String why) {
                    }

                    @Override
                    public dev.modelguardian.core.remediation.LogTail logTail(TargetSpec target, String runName,
                            dev.modelguardian.core.remediation.LogTail.Limits limits) {
                        return dev.modelguardian.core.remediation.LogTail.of("pod p", java.util.List.of("x"), false);
                    }

                    @Override
                    public Watch followLog(TargetSpec target, String runName, LogSink sink) {
                        return () -> {
                        };
                    }
                }, metrics);
        TargetSpec byJob = new TargetSpec("a", "ml-training", java.util.List.of("m"));
        TargetSpec byWorkflow = new TargetSpec("b", new Trainer("argo-workflow", "WorkflowTemplate", "t", "Workflow",
                "argoproj.io/v1alpha1"), java.util.List.of("m"), dev.modelguardian.core.remediation.RecoverySpec.NONE);

        timed.start(byJob, "r1", "id1", "why");
        timed.start(byWorkflow, "r2", "id2", "why");
        timed.observe(byWorkflow, "r2");
        timed.running(byWorkflow, java.util.Optional.empty());
        assertThat(timed.logTail(byWorkflow, "r2", dev.modelguardian.core.remediation.LogTail.Limits.DEFAULT)
                .lines()).as("reaches the delegate").containsExactly("x");

        assertThat(count("kubernetes", "create_job", "ok")).isEqualTo(1);
        assertThat(count("kubernetes", "create_workflow", "ok")).isEqualTo(1);
        assertThat(count("kubernetes", "observe_workflow", "ok")).isEqualTo(1);
        assertThat(count("kubernetes", "list_workflows", "ok")).isEqualTo(1);
        assertThat(count("kubernetes", "read_workflow_log", "ok")).isEqualTo(1);
    }
}
