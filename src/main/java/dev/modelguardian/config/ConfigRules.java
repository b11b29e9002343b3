package dev.modelguardian.config;

import java.util.List;

/**
 * The validation an extension (a metric source, a notification channel, a model registry) brings to
 * {@link ConfigValidator}: its own keys, checked where the extension lives. Declared here rather than next to the
 * extension interfaces so that the validator, which receives the extensions as a parameter, imports nothing outside
 * this package.
 */
public interface ConfigRules {

    /**
     * Adds a problem for every key of this extension that is wrong; each names the property and the fix and never
     * repeats a secret.
     *
     * @param config   the whole configuration tree
     * @param problems where problems are added, in a stable order
     */
    void validate(GuardianConfig config, List<ConfigProblem> problems);
}
