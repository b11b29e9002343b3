package dev.modelguardian.config.extension;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.modelguardian.config.Settings;
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
 * @param settings      the whole configuration: a trigger's keys of each target beyond what its targets'
 *                      {@code Trainer} names (a ConfigMap key, a pipeline's requests); empty in a context built
 *                      without one (a trigger then checks what its targets' {@code Trainer} names)
 */
public record DoctorContext(String namespace, Predicate<String> explicitlySet,
        Map<String, RecoverySpec.ModelCheck> trained, Optional<Settings> settings) {

    /** Copies {@code trained}. */
    public DoctorContext {
        trained = Map.copyOf(trained);
    }

    /** A context without the configuration. */
    public DoctorContext(String namespace, Predicate<String> explicitlySet,
            Map<String, RecoverySpec.ModelCheck> trained) {
        this(namespace, explicitlySet, trained, Optional.empty());
    }
}
