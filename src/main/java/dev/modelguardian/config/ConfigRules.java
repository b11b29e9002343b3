package dev.modelguardian.config;

import java.util.List;
import java.util.Optional;

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
     * @param settings the whole configuration: the guardian's tree and this extension's own root
     * @param problems where problems are added, in a stable order
     */
    void validate(Settings settings, List<ConfigProblem> problems);

    /**
     * The {@code @ConfigMapping} root of this extension's own keys, declared in its folder (e.g.
     * {@code guardian.prometheus}): what it reads with {@link Settings#of}. Quarkus registers every root by itself; a
     * configuration built by hand (a test's) registers the roots the extensions name here. Empty for an extension
     * without keys of its own.
     */
    default Optional<Class<?>> settingsRoot() {
        return Optional.empty();
    }
}
