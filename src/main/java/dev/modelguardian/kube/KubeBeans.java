package dev.modelguardian.kube;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.policy.Policies;
import dev.modelguardian.policy.PolicyEngine;
import dev.modelguardian.remediation.GuardianMetrics;
import dev.modelguardian.remediation.RemediationEngine;
import dev.modelguardian.remediation.RemediationListener;
import dev.modelguardian.remediation.RemediationPolicy;
import dev.modelguardian.remediation.TargetRecord;
import dev.modelguardian.remediation.TargetSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Wires the remediation engine to the cluster: the state ConfigMap, the training Jobs, the listeners. Nothing here
 * talks to the API server until a command uses the engine ({@code check} never does).
 */
@ApplicationScoped
public class KubeBeans {

    /** Events name this replica as the Lease does, so that an Event and the leader it came from match. */
    @Produces
    @Singleton
    EventRecorder eventRecorder(KubernetesClient client, GuardianConfig config, Clock clock, Leadership leadership) {
        return new EventRecorder(client, Namespace.resolve(config), leadership.identity(), clock);
    }

    @Produces
    @Singleton
    ConfigMapStateStore stateStore(KubernetesClient client, GuardianConfig config) {
        return new ConfigMapStateStore(client, Namespace.resolve(config), config.state().configMap());
    }

    @Produces
    @Singleton
    TrainingJobs trainingJobs(KubernetesClient client, GuardianConfig config, Clock clock) {
        return new TrainingJobs(client, Namespace.resolve(config), config.remediation().unschedulableGrace(), clock);
    }

    @Produces
    @Singleton
    RemediationEngine remediationEngine(PolicyEngine policyEngine, ModelSet models, GuardianConfig config,
            ConfigMapStateStore store, TrainingJobs jobs, Clock clock, Acting acting,
            @Any Instance<RemediationListener> listeners, GuardianMetrics metrics) {
        return new RemediationEngine(policyEngine, Policies.from(models), targets(models),
                TimedCluster.store(store, metrics), TimedCluster.jobs(jobs, metrics), remediationPolicy(config),
                config.state().history(), clock, composite(listeners), acting);
    }

    /** The configured training targets, each with its CronJob (the target's own name when not set). */
    public static List<TargetSpec> targets(ModelSet models) {
        return models.targets().entrySet().stream()
                .map(e -> new TargetSpec(e.getKey(), e.getValue().cronJob().orElse(e.getKey()), e.getValue().models()))
                .sorted(java.util.Comparator.comparing(TargetSpec::name))
                .toList();
    }

    public static RemediationPolicy remediationPolicy(GuardianConfig config) {
        GuardianConfig.Remediation r = config.remediation();
        return new RemediationPolicy(r.cooldown(), r.maxPerDay(), r.requireApproval(), config.dryRun(), r.jobTimeout(),
                r.jobTimeoutMargin(), r.jobNamePrefix());
    }

    /** One listener failing does not keep the others from hearing about the step. */
    private static void each(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(KubeBeans.class).warnf("A remediation listener failed (ignored): %s",
                    e.getClass().getSimpleName());
        }
    }

    private static RemediationListener composite(Instance<RemediationListener> listeners) {
        List<RemediationListener> all = listeners.stream().toList();
        return new RemediationListener() {
            @Override
            public void stepped(Step step) {
                all.forEach(l -> each(() -> l.stepped(step)));
            }

            @Override
            public void stayed(TargetSpec target, TargetRecord record, String reason) {
                all.forEach(l -> each(() -> l.stayed(target, record, reason)));
            }

            @Override
            public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
                all.forEach(l -> each(() -> l.actionFailed(target, record, action, message)));
            }
        };
    }
}
