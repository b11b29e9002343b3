package dev.modelguardian.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.smallrye.config.SmallRyeConfig;

/** The configuration as the application reads it: the model set in effect, resolved once, and the settings. */
@ApplicationScoped
public class ConfigBeans {

    private static final String MODELS = "guardian.models.";

    /** The guardian's tree and every integration's own root, from the running application's configuration. */
    @Produces
    @Singleton
    Settings settings(SmallRyeConfig raw) {
        return Settings.of(raw);
    }

    @Produces
    @Singleton
    ModelSet modelSet(Settings settings, SmallRyeConfig raw) {
        return ModelSet.resolve(settings, declaredModels(raw));
    }

    /**
     * Model names the user's configuration mentions, including models with nothing under them (which map to no
     * property at all, so only the file itself shows them).
     */
    static Set<String> declaredModels(SmallRyeConfig raw) {
        Set<String> names = new TreeSet<>();
        for (String property : raw.getPropertyNames()) {
            if (property.startsWith(MODELS)) {
                String rest = property.substring(MODELS.length());
                int dot = rest.indexOf('.');
                names.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        raw.getOptionalValue(GuardianConfigSourceFactory.CONFIG_FILE_PROPERTY, String.class)
                .ifPresent(file -> names.addAll(modelsInFile(Path.of(file))));
        return names;
    }

    private static Set<String> modelsInFile(Path file) {
        try {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            if (root instanceof Map<?, ?> top && top.get("guardian") instanceof Map<?, ?> guardian
                    && guardian.containsKey("models")) {
                Set<String> names = new TreeSet<>();
                if (guardian.get("models") instanceof Map<?, ?> models) {
                    models.keySet().forEach(k -> names.add(String.valueOf(k)));
                }
                return names.isEmpty() ? Set.of("") : names;
            }
        } catch (IOException | RuntimeException e) {
            // The configuration source already reported an unreadable file at start-up.
        }
        return Set.of();
    }
}
