package dev.modelguardian.config;

import java.util.NoSuchElementException;
import java.util.Objects;

import io.smallrye.config.SmallRyeConfig;

/**
 * The whole configuration as the extensions read it: the guardian's own tree ({@link GuardianConfig}) and the
 * settings each integration maps under its own {@code @ConfigMapping} root in its folder (e.g.
 * {@code guardian.prometheus}, {@code guardian.notify.slack}). An integration's keys are then its own business: adding
 * one changes nothing outside its folder, since Quarkus finds every mapping root of the application by itself.
 *
 * <p>One instance per configuration: the application's (produced by {@link ConfigBeans}) or a test's. Reading a root
 * is a map lookup (SmallRye builds every root once, when the configuration is built). A training trigger's root maps
 * its keys under every target ({@code guardian.targets.<target>.trigger.<kind>.*}).
 */
public final class Settings {

    private final SmallRyeConfig config;
    private final GuardianConfig guardian;

    private Settings(SmallRyeConfig config) {
        this.config = config;
        this.guardian = config.getConfigMapping(GuardianConfig.class);
    }

    /**
     * The settings of {@code config}, which maps {@link GuardianConfig} and every integration's root.
     *
     * @throws NoSuchElementException when {@code config} does not map {@link GuardianConfig}
     */
    public static Settings of(SmallRyeConfig config) {
        return new Settings(Objects.requireNonNull(config, "config"));
    }

    /** The guardian's own tree: models, targets, remediation, state, leader, API and what channels share. */
    public GuardianConfig guardian() {
        return guardian;
    }

    /**
     * The settings an integration maps under its own root.
     *
     * @param root the integration's {@code @ConfigMapping} interface
     * @throws NoSuchElementException when the configuration does not map {@code root} (an integration whose
     *                                mapping is not registered: a test configuration built without it)
     */
    public <T> T of(Class<T> root) {
        return config.getConfigMapping(root);
    }
}
