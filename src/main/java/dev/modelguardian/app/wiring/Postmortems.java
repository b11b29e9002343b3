package dev.modelguardian.app.wiring;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.postmortem.InputDrift;
import dev.modelguardian.core.postmortem.PostmortemDraft;
import dev.modelguardian.core.postmortem.RegistryVersions;
import dev.modelguardian.core.postmortem.SignalWindow;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.signal.MetricSources;

/** The post-mortem draft of one finished remediation, as {@code postmortem} writes it and the status page serves it. */
public final class Postmortems {

    private Postmortems() {
    }

    /**
     * The draft of {@code entry} of {@code target}, with its signals over the incident window read from
     * {@code sources} (none when empty: {@code postmortem --no-signals}), those with a breakdown label split by it, and
     * the validated candidates as {@code registry} shows them now (none when empty: no registry configured, or
     * --no-signals, which reads only the state).
     */
    public static PostmortemDraft draft(GuardianConfig config, ModelSet models, Optional<MetricSources> sources,
            Optional<ModelRegistry> registry, TargetSpec target, HistoryEntry entry, Instant now) {
        List<SignalWindow> signals = List.of();
        List<InputDrift> inputs = List.of();
        Optional<RegistryVersions> versions = entry.verdict().isPresent()
                ? registry.map(r -> RegistryVersions.read(entry, target, r)) : Optional.empty();
        if (sources.isPresent()) {
            PostmortemDraft.Window window = PostmortemDraft.window(entry, now);
            List<Policy> policies = Policies.from(models).stream().filter(p -> target.models().contains(p.model()))
                    .toList();
            signals = policies.stream().map(p -> SignalWindow.read(p, sources.get(), window.from(), window.to()))
                    .toList();
            inputs = policies.stream().flatMap(p -> InputDrift.read(p, sources.get(), window.from(), window.to())
                    .stream()).toList();
        }
        String namespace = Namespace.resolve(config);
        return new PostmortemDraft(namespace, "the state ConfigMap " + namespace + "/"
                + dev.modelguardian.integrations.kubernetes.ConfigMapStateStore.shardName(config.state().configMap(),
                        target.name()) + " (`model-guardian status --target " + target.name() + "`)", target, entry,
                config.notifications().rollbackHint().filter(h -> !h.isBlank()), signals, inputs, versions, now);
    }
}
