package dev.modelguardian.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;

import dev.modelguardian.config.GuardianConfig.Model;
import dev.modelguardian.config.GuardianConfig.Target;

/**
 * The models and training targets in effect: the user's when configuration defines any model, else the bundled
 * Neural Hive set ({@value #BUNDLED}). Kept out of the configuration sources on purpose: configuration maps merge key
 * by key, and a user who describes their own model server must not silently inherit Neural Hive's signals.
 *
 * @param models   models by name
 * @param targets  training targets by name
 * @param origin   where they come from, for messages
 * @param settings the configuration the targets' trigger keys are read from: a trigger kind with keys of its own
 *                 ({@code trigger.argo-workflow.*}, {@code trigger.job-template.*}, {@code trigger.http.*}) maps
 *                 them under each target in a root of its own. The bundled targets are CronJob targets and
 *                 apply only when the configuration names no target, so every other kind reads its defaults there
 *                 (the bundled file is read for the tree only: a {@code trigger.<kind>.*} key in it would be
 *                 ignored)
 */
public record ModelSet(Map<String, Model> models, Map<String, Target> targets, String origin, Settings settings) {

    /** The classpath resource of the bundled set (in the native image through quarkus.native.resources.includes). */
    public static final String BUNDLED = "neural-hive-defaults.yaml";

    /** A model the configuration names but gives nothing: no signals (reported), registry and validation defaults. */
    static final Model SIGNALLESS = new Model() {
        @Override
        public Map<String, GuardianConfig.Signal> signals() {
            return Map.of();
        }

        @Override
        public GuardianConfig.ModelRegistry registry() {
            return new GuardianConfig.ModelRegistry() {
                @Override
                public java.util.Optional<String> name() {
                    return java.util.Optional.empty();
                }

                @Override
                public dev.modelguardian.core.registry.RegistryModel.Mode mode() {
                    return dev.modelguardian.core.registry.RegistryModel.Mode.STAGE;
                }

                @Override
                public String alias() {
                    return "champion";
                }

                @Override
                public java.util.Optional<String> experiment() {
                    return java.util.Optional.empty();
                }
            };
        }

        @Override
        public GuardianConfig.Validation validation() {
            return new GuardianConfig.Validation() {
                @Override
                public Map<String, String> rules() {
                    return Map.of();
                }

                @Override
                public double maxRegression() {
                    return 0.05;
                }
            };
        }
    };

    /** The set in effect for a configuration. User targets without user models apply to the bundled models. */
    public static ModelSet resolve(Settings settings) {
        return resolve(settings, Set.of());
    }

    /**
     * As {@link #resolve(Settings)}, where {@code declared} are the model names the user's configuration
     * mentions. A declared model without any signal maps to nothing, so it is kept here with no signals: the
     * validator then reports it instead of the bundled models silently taking its place.
     */
    public static ModelSet resolve(Settings settings, Set<String> declared) {
        GuardianConfig config = settings.guardian();
        if (!config.models().isEmpty() || !declared.isEmpty()) {
            Map<String, Model> models = new TreeMap<>(config.models());
            declared.stream().filter(name -> !name.isEmpty()).forEach(name -> models.putIfAbsent(name, SIGNALLESS));
            return new ModelSet(Map.copyOf(models), config.targets(), "configuration", settings);
        }
        GuardianConfig bundled = bundledConfig();
        Map<String, Target> targets = config.targets().isEmpty() ? bundled.targets() : config.targets();
        return new ModelSet(bundled.models(), targets, "bundled " + BUNDLED, settings);
    }

    /**
     * One line per model that has signals but is trained by no target: it is watched and can fire, but nothing will
     * ever retrain it. Said at the start of every command that acts ({@code serve}, {@code check --remediate}) and by
     * {@code doctor}, since a configuration that defines models replaces the bundled targets too.
     */
    public List<String> untrained() {
        Set<String> trained = new TreeSet<>();
        targets.values().forEach(t -> trained.addAll(t.models()));
        return new TreeMap<>(models).entrySet().stream()
                .filter(e -> !e.getValue().signals().isEmpty() && !trained.contains(e.getKey()))
                .map(e -> "model " + e.getKey() + " has signals but no training target trains it: it is watched,"
                        + " never retrained; add it to the models of a target under guardian.targets")
                .toList();
    }

    private static GuardianConfig bundledConfig() {
        URL url = ModelSet.class.getClassLoader().getResource(BUNDLED);
        if (url == null) {
            throw new IllegalStateException("bundled " + BUNDLED + " is missing from the application");
        }
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .withSources(new YamlConfigSource(url))
                    // Quarkus' converter, so that the bundled file reads '1h' exactly as user files do.
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withMapping(GuardianConfig.class)
                    .withValidateUnknown(false)
                    .build();
            return config.getConfigMapping(GuardianConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
