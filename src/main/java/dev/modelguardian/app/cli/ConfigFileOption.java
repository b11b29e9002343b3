package dev.modelguardian.app.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option every command accepts. {@link GuardianMain} reads it before Quarkus starts, since
 * configuration is fixed from then on; this mixin documents it and lets picocli accept it.
 */
public class ConfigFileOption {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with a guardian.* tree that overrides"
            + " the bundled defaults. A file that defines guardian.models replaces the bundled models and targets.")
    Path file;
}
