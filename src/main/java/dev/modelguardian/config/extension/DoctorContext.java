package dev.modelguardian.config.extension;

import java.util.Map;
import java.util.function.Predicate;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.remediation.RecoverySpec;

/**
 * What {@code doctor} knows besides the configuration tree and hands to every extension's checks.
 *
 * @param namespace     the namespace the guardian works in
 * @param explicitlySet whether a property has a value of its own (not its default): routing written for a channel
 *                      that is off is only worth a warning when someone wrote it
 * @param trained       every model a training target validates and promotes, by model name, with the registry entry
 *                      that is read for it; empty when the configuration does not validate (registry checks do not
 *                      run then)
 * @param targets       every training target's settings, by name: a trigger's settings beyond what its targets'
 *                      {@code Trainer} names (a ConfigMap key, template parameters)
 */
public record DoctorContext(String namespace, Predicate<String> explicitlySet,
        Map<String, RecoverySpec.ModelCheck> trained, Map<String, GuardianConfig.Target> targets) {

    /** Copies {@code trained} and {@code targets}. */
    public DoctorContext {
        trained = Map.copyOf(trained);
        targets = Map.copyOf(targets);
    }

    /** A context without target settings. */
    public DoctorContext(String namespace, Predicate<String> explicitlySet,
            Map<String, RecoverySpec.ModelCheck> trained) {
        this(namespace, explicitlySet, trained, Map.of());
    }
}
