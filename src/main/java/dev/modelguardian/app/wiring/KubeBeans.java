package dev.modelguardian.app.wiring;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.remediation.CallerIdentity;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.MetricRule;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.EventRecorder;
import dev.modelguardian.integrations.kubernetes.Leadership;
import dev.modelguardian.integrations.kubernetes.ModelServerResources;
import dev.modelguardian.integrations.kubernetes.TimedCluster;
import dev.modelguardian.integrations.kubernetes.WhoAmI;
import dev.modelguardian.integrations.metrics.GuardianMetrics;

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

    /** Who {@code approve} and {@code reject} record as deciding when {@code --by} is not given. */
    @Produces
    @Singleton
    CallerIdentity callerIdentity(KubernetesClient client) {
        return new WhoAmI(client);
    }

    @Produces
    @Singleton
    TrainingTrigger trainingTrigger(KubernetesClient client, Settings settings, ModelSet models, Clock clock) {
        return Extensions.trigger(settings, models.targets(), client, Namespace.resolve(settings.guardian()), clock);
    }

    @Produces
    @Singleton
    RemediationEngine remediationEngine(KubernetesClient client, PolicyEngine policyEngine, ModelSet models,
            Settings settings, ConfigMapStateStore store, TrainingTrigger trigger, Clock clock, Acting acting,
            @Any Instance<RemediationListener> listeners, GuardianMetrics metrics) {
        GuardianConfig config = settings.guardian();
        // Without a configured registry the training Job's own gate is trusted and rollback restores no version.
        Optional<ModelRegistry> registry = Extensions.registry(settings)
                .map(r -> TimedCluster.registry(r, metrics));
        return new RemediationEngine(policyEngine, Policies.from(models), targets(models, registry.isPresent()),
                TimedCluster.store(store, metrics), TimedCluster.jobs(trigger, metrics), remediationPolicy(config),
                config.state().history(), clock, composite(listeners), acting, registry,
                TimedCluster.server(new ModelServerResources(client, Namespace.resolve(config)), metrics));
    }

    /** The configured training targets, each with what trains it (its CronJob unless its trigger says otherwise). */
    public static List<TargetSpec> targets(ModelSet models) {
        return targets(models, false);
    }

    /**
     * The configured training targets with what happens after training; {@code registry} says whether a model
     * registry is configured (without one, the training Job's own gate is trusted and rollback restores no version).
     */
    public static List<TargetSpec> targets(ModelSet models, boolean registry) {
        return models.targets().entrySet().stream()
                .map(e -> new TargetSpec(e.getKey(), Extensions.trainer(e.getKey(), e.getValue(), models.settings()),
                        e.getValue().models(),
                        recovery(models, e.getValue(), registry)))
                .sorted(java.util.Comparator.comparing(TargetSpec::name))
                .toList();
    }

    static RecoverySpec recovery(ModelSet models, GuardianConfig.Target target, boolean registry) {
        Map<String, RecoverySpec.ModelCheck> checks = new TreeMap<>();
        if (registry) {
            for (String name : target.models()) {
                GuardianConfig.Model model = models.models().get(name);
                if (model == null) {
                    continue;
                }
                GuardianConfig.ModelRegistry r = model.registry();
                List<MetricRule> rules = new TreeMap<>(model.validation().rules()).entrySet().stream()
                        .map(rule -> MetricRule.parse(rule.getKey(), rule.getValue())).toList();
                checks.put(name, new RecoverySpec.ModelCheck(new RegistryModel(r.name().orElse(name), r.mode(),
                        r.alias()), r.experiment(), rules, model.validation().maxRegression()));
            }
        }
        Map<String, RecoverySpec.FlagKey> keys = new TreeMap<>();
        target.rollback().keys().forEach((k, v) -> keys.put(k, new RecoverySpec.FlagKey(v.value(), v.permanent())));
        return new RecoverySpec(checks, target.deployment(), target.restart(),
                target.onTrainingFailure() == GuardianConfig.TrainingFailure.ROLLBACK, target.verifyWindow(),
                target.registryWait(), target.reenableAfterRecovery(), target.rollback().configMap(), keys);
    }

    public static RemediationPolicy remediationPolicy(GuardianConfig config) {
        GuardianConfig.Remediation r = config.remediation();
        return new RemediationPolicy(r.cooldown(), r.maxPerDay(), r.requireApproval(), config.dryRun(), r.jobTimeout(),
                r.jobTimeoutMargin(), r.jobNamePrefix(),
                new LogTail.Limits(r.logTail().lines(), r.logTail().bytes()));
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
            public void stayed(TargetSpec target, TargetRecord record, Decision.Stay stay) {
                all.forEach(l -> each(() -> l.stayed(target, record, stay)));
            }

            @Override
            public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
                all.forEach(l -> each(() -> l.actionFailed(target, record, action, message)));
            }
        };
    }
}
