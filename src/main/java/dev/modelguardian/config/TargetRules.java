package dev.modelguardian.config;

import java.util.List;

/**
 * The validation a training trigger brings to {@link ConfigValidator}: its settings of one training target
 * ({@code guardian.targets.<target>.*}), checked where the trigger lives. Declared here, like {@link ConfigRules}, so
 * that the validator, which receives the triggers as a parameter, imports nothing outside this package.
 */
public interface TargetRules {

    /**
     * Adds a problem for every trigger setting of target {@code name} that is wrong; each names the property and the
     * fix.
     *
     * @param name     the target's name, as under {@code guardian.targets}
     * @param target   the target's settings
     * @param problems where problems are added, in a stable order
     */
    void validate(String name, GuardianConfig.Target target, List<ConfigProblem> problems);
}
