package dev.modelguardian.kube;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.modelguardian.policy.PolicyStatus;
import dev.modelguardian.remediation.GuardianMetrics;
import dev.modelguardian.remediation.GuardianState;
import dev.modelguardian.remediation.JobObservation;
import dev.modelguardian.remediation.StateStore;
import dev.modelguardian.remediation.TargetRecord;
import dev.modelguardian.remediation.TrainingCluster;

/**
 * The engine's calls to the Kubernetes API, timed into {@code guardian_external_call_seconds{system="kubernetes"}}
 * with one fixed operation word each.
 */
final class TimedCluster {

    private TimedCluster() {
    }

    static StateStore store(StateStore delegate, GuardianMetrics metrics) {
        return new StateStore() {
            @Override
            public GuardianState load() {
                return timed(metrics, "read_state", delegate::load);
            }

            @Override
            public boolean compareAndSet(String target, long expectedRevision, TargetRecord next) {
                return timed(metrics, "write_state", () -> delegate.compareAndSet(target, expectedRevision, next));
            }

            @Override
            public void savePolicies(Map<String, PolicyStatus> statuses) {
                timed(metrics, "write_policies", () -> {
                    delegate.savePolicies(statuses);
                    return null;
                });
            }
        };
    }

    static TrainingCluster jobs(TrainingCluster delegate, GuardianMetrics metrics) {
        return new TrainingCluster() {
            @Override
            public Optional<String> activeJob(String cronJob, Optional<String> excluding) {
                return timed(metrics, "list_jobs", () -> delegate.activeJob(cronJob, excluding));
            }

            @Override
            public JobObservation observe(String jobName) {
                return timed(metrics, "observe_job", () -> delegate.observe(jobName));
            }

            @Override
            public void createJob(String cronJob, String jobName, String remediationId, String target, String trigger) {
                timed(metrics, "create_job", () -> {
                    delegate.createJob(cronJob, jobName, remediationId, target, trigger);
                    return null;
                });
            }
        };
    }

    private static <T> T timed(GuardianMetrics metrics, String operation, Supplier<T> call) {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T result = call.get();
            ok = true;
            return result;
        } finally {
            metrics.externalCall(GuardianMetrics.ExternalSystem.KUBERNETES, operation, ok,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
