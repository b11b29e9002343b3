package dev.modelguardian.config;

import java.util.List;
import java.util.Optional;

/**
 * The validation a metric source brings to {@link ConfigValidator}: its own keys ({@link #validate}), the keys of a
 * signal that reads it, and whether it is configured enough for a command that reads signals now. Declared here, like
 * {@link ConfigRules}, so that the validator, which receives the sources as a parameter, imports nothing outside this
 * package.
 */
public interface SourceRules extends ConfigRules {

    /** The name signals select this source by (their {@code source} key, lower case), e.g. {@code prometheus}. */
    String kind();

    /**
     * Adds a problem for every key of a signal that reads this source and is wrong for it (e.g. a missing query).
     *
     * @param prefix   the signal's property prefix, {@code guardian.models.<model>.signals.<signal>}
     * @param signal   the signal's settings
     * @param problems where problems are added, in a stable order
     */
    void validateSignal(String prefix, GuardianConfig.Signal signal, List<ConfigProblem> problems);

    /**
     * The problem when a signal reads this source but the source is not configured (e.g. its URL is not set); empty
     * when it is.
     *
     * @param settings the whole configuration
     * @param signal   the first signal that reads this source, as {@code <model>/<signal>}
     */
    Optional<ConfigProblem> unconfigured(Settings settings, String signal);
}
