package dev.modelguardian.integrations.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.registry.Run;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.ModelServer;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.metrics.GuardianMetrics;

/**
 * The engine's calls to the Kubernetes API and to the model registry, timed into
 * {@code guardian_external_call_seconds{system="kubernetes"|"mlflow"}} with one fixed operation word each.
 */
public final class TimedCluster {

    private TimedCluster() {
    }

    public static StateStore store(StateStore delegate, GuardianMetrics metrics) {
        return new StateStore() {
            @Override
            public GuardianState load() {
                return timed(metrics, "read_state", delegate::load);
            }

            /** One target's record as the store reads it alone (not the whole state, as the default would). */
            @Override
            public TargetRecord target(String target, java.time.Instant now) {
                return timed(metrics, "read_target", () -> delegate.target(target, now));
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

            @Override
            public Following follow() {
                return delegate.follow();
            }
        };
    }

    /**
     * The training trigger, each call timed under an operation named after the target's runs, so a Workflow's calls
     * are not counted as a Job's: {@code list_jobs}, {@code observe_job}, {@code create_job} for Jobs,
     * {@code list_workflows}, {@code observe_workflow}, {@code create_workflow} for Argo Workflows; {@code read_job_log}
     * or {@code read_workflow_log} for a failed run's last lines. Every call reaches the delegate: nothing here relies on
     * the port's defaults.
     */
    public static TrainingTrigger jobs(TrainingTrigger delegate, GuardianMetrics metrics) {
        return new TrainingTrigger() {
            @Override
            public Optional<String> running(TargetSpec target, Optional<String> excluding) {
                return timed(metrics, "list_" + run(target) + "s", () -> delegate.running(target, excluding));
            }

            @Override
            public JobObservation observe(TargetSpec target, String runName) {
                return timed(metrics, "observe_" + run(target), () -> delegate.observe(target, runName));
            }

            @Override
            public Watch watch(java.util.function.Consumer<String> onEnded) {
                return delegate.watch(onEnded);
            }

            @Override
            public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
                return timed(metrics, "read_" + run(target) + "_log", () -> delegate.logTail(target, runName, limits));
            }

            @Override
            public Watch followLog(TargetSpec target, String runName, LogSink sink) {
                return delegate.followLog(target, runName, sink);
            }

            @Override
            public void start(TargetSpec target, String runName, String remediationId, String why) {
                timed(metrics, "create_" + run(target), () -> {
                    delegate.start(target, runName, remediationId, why);
                    return null;
                });
            }
        };
    }

    /** The run kind as a metric word: {@code job}, {@code workflow}. */
    private static String run(TargetSpec target) {
        return target.trainer().runKind().toLowerCase(java.util.Locale.ROOT);
    }

    public static ModelServer server(ModelServer delegate, GuardianMetrics metrics) {
        return new ModelServer() {
            @Override
            public Map<String, Optional<String>> read(String configMap, Set<String> keys) {
                return timed(metrics, "read_flags", () -> delegate.read(configMap, keys));
            }

            @Override
            public void requireDeployment(String deployment) {
                timed(metrics, "read_deployment", () -> {
                    delegate.requireDeployment(deployment);
                    return null;
                });
            }

            @Override
            public void setKeys(String configMap, Map<String, Optional<String>> values,
                    Map<String, Optional<String>> previous, String remediationId) {
                timed(metrics, "patch_flags", () -> {
                    delegate.setKeys(configMap, values, previous, remediationId);
                    return null;
                });
            }

            @Override
            public void restart(String deployment, Instant at) {
                timed(metrics, "restart_deployment", () -> {
                    delegate.restart(deployment, at);
                    return null;
                });
            }
        };
    }

    public static ModelRegistry registry(ModelRegistry delegate, GuardianMetrics metrics) {
        return new ModelRegistry() {
            @Override
            public Optional<ModelVersion> serving(RegistryModel model) {
                return mlflow(metrics, "serving", () -> delegate.serving(model));
            }

            @Override
            public List<ModelVersion> versionsSince(String model, Instant since) {
                return mlflow(metrics, "versions", () -> delegate.versionsSince(model, since));
            }

            @Override
            public ModelVersion version(String model, String version) {
                return mlflow(metrics, "version", () -> delegate.version(model, version));
            }

            @Override
            public Run run(String runId) {
                return mlflow(metrics, "run", () -> delegate.run(runId));
            }

            @Override
            public Optional<String> experimentId(String name) {
                return mlflow(metrics, "experiment", () -> delegate.experimentId(name));
            }

            @Override
            public void promote(RegistryModel model, String version) {
                mlflow(metrics, "promote", () -> {
                    delegate.promote(model, version);
                    return null;
                });
            }

            @Override
            public void clearAlias(RegistryModel model) {
                mlflow(metrics, "clear_alias", () -> {
                    delegate.clearAlias(model);
                    return null;
                });
            }
        };
    }

    private static <T> T timed(GuardianMetrics metrics, String operation, Supplier<T> call) {
        return timed(metrics, GuardianMetrics.ExternalSystem.KUBERNETES, operation, call);
    }

    private static <T> T mlflow(GuardianMetrics metrics, String operation, Supplier<T> call) {
        return timed(metrics, GuardianMetrics.ExternalSystem.MLFLOW, operation, call);
    }

    private static <T> T timed(GuardianMetrics metrics, GuardianMetrics.ExternalSystem system, String operation,
            Supplier<T> call) {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T result = call.get();
            ok = true;
            return result;
        } finally {
            metrics.externalCall(system, operation, ok,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
