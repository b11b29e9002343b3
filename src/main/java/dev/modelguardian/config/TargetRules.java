package dev.modelguardian.config;

import java.util.List;
import java.util.Optional;

/**
 * The validation a training trigger brings to {@link ConfigValidator}: its settings of one training target
 * ({@code guardian.targets.<target>.*}), checked where the trigger lives. Declared here, like {@link ConfigRules}, so
 * that the validator, which receives the triggers as a parameter, imports nothing outside this package.
 */
public interface TargetRules {

    /**
     * The trigger kind these rules are the settings of, as {@code guardian.targets.<target>.trigger.kind} names it
     * (e.g. {@code cronjob}).
     */
    String kind();

    /**
     * Adds a problem for every trigger setting of target {@code name} that is wrong; each names the property and the
     * fix. Called for every target, whatever its kind: a target of another kind must not set this kind's keys.
     *
     * @param name     the target's name, as under {@code guardian.targets}
     * @param target   the target's keys in the guardian's tree
     * @param settings the whole configuration, where this kind's own keys of the target are
     * @param problems where problems are added, in a stable order
     */
    void validate(String name, GuardianConfig.Target target, Settings settings, List<ConfigProblem> problems);

    /**
     * The {@code @ConfigMapping} root of this kind's keys of every target ({@code trigger.<kind>.*} under each
     * target), declared in its folder, as {@link ConfigRules#settingsRoot()} says for other extensions. Empty for a
     * kind whose keys are the guardian's tree ({@code cronjob}).
     */
    default Optional<Class<?>> settingsRoot() {
        return Optional.empty();
    }
}
