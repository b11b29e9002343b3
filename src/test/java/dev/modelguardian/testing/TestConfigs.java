package dev.modelguardian.testing;

import java.time.Duration;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;

import dev.modelguardian.config.GuardianConfig;

/** A real {@link GuardianConfig} from YAML text, converted the way Quarkus converts it, without starting Quarkus. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static GuardianConfig fromYaml(String yaml) {
        return new SmallRyeConfigBuilder()
                .withSources(new YamlConfigSource("test", yaml.isBlank() ? "{}" : yaml))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(GuardianConfig.class)
                .withValidateUnknown(false)
                .build()
                .getConfigMapping(GuardianConfig.class);
    }
}
