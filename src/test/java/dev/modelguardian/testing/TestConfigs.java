package dev.modelguardian.testing;

import java.time.Duration;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;

/**
 * A real configuration from YAML text, converted the way Quarkus converts it, without starting Quarkus: the
 * {@link GuardianConfig} tree and every registered extension's own root ({@link Extensions#settingsRoots()}), as
 * Quarkus maps them.
 */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** The guardian's tree of {@code yaml}. */
    public static GuardianConfig fromYaml(String yaml) {
        return settings(yaml).guardian();
    }

    /** The whole configuration of {@code yaml}: the tree and each integration's settings. */
    public static Settings settings(String yaml) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withSources(new YamlConfigSource("test", yaml.isBlank() ? "{}" : yaml))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(GuardianConfig.class)
                .withValidateUnknown(false);
        Extensions.settingsRoots().forEach(builder::withMapping);
        SmallRyeConfig config = builder.build();
        return Settings.of(config);
    }
}
