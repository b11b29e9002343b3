package dev.modelguardian.config.extension;

import java.util.List;
import java.util.Optional;

import dev.modelguardian.config.ConfigRules;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.registry.ModelRegistry;

/**
 * A model registry, whole: its keys' validation, its {@code doctor} checks (which may call the registry) and the
 * {@link ModelRegistry} adapter the remediation engine validates, promotes and rolls back through. One
 * implementation per integration folder, registered in the application's one list of extensions.
 */
public interface RegistryProvider extends ConfigRules {

    /** The registry's name, as in its keys and checks, e.g. {@code mlflow}. */
    String name();

    /**
     * The checks of {@code doctor} for this registry: whether it is on and, when it is, that it answers and knows
     * every model a training target promotes. No detail or fix shows a credential.
     *
     * @param settings the whole configuration
     * @param context  what {@code doctor} knows besides the configuration, among it the models trained
     */
    List<Check> doctor(Settings settings, DoctorContext context);

    /**
     * The registry when it is configured, else empty (the training Job's own gate is trusted then, and rollback
     * restores no model version).
     */
    Optional<ModelRegistry> registry(Settings settings);
}
