package dev.modelguardian.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.source.yaml.YamlConfigSource;

/**
 * Adds the file named by {@code --config} (passed on as {@value #CONFIG_FILE_PROPERTY}) as a configuration source with
 * ordinal {@value #FILE_ORDINAL}: above {@code application.yaml}, below environment variables and system properties.
 * See {@link ModelSet} for how its models relate to the bundled ones.
 */
public final class GuardianConfigSourceFactory implements ConfigSourceFactory {

    /** System property through which {@code --config FILE} reaches configuration. */
    public static final String CONFIG_FILE_PROPERTY = "model-guardian.config-file";
    static final int FILE_ORDINAL = 265;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue file = context.getValue(CONFIG_FILE_PROPERTY);
        if (file == null || file.getValue() == null || file.getValue().isBlank()) {
            return List.of();
        }
        return List.of(readFile(Path.of(file.getValue())));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(100);
    }

    private static YamlConfigSource readFile(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("--config " + path + ": cannot read the file (" + e.getMessage() + ")", e);
        }
        try {
            return new YamlConfigSource("config file " + path, text, FILE_ORDINAL);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--config " + path + ": not a valid YAML document (" + e.getMessage() + ")", e);
        }
    }
}
