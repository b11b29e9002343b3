package dev.modelguardian.app.cli;

import picocli.CommandLine.Command;

/** The {@code model-guardian} command and its modes. */
@Command(name = "model-guardian", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Keeps ML models in production healthy: watches their quality signals, retrains, validates,"
                + " promotes or rolls back, and tells people.",
        subcommands = { CheckCommand.class, ServeCommand.class, RemediateCommand.class, RollbackCommand.class,
                ApproveCommand.class, RejectCommand.class,
                StatusCommand.class, PostmortemCommand.class, DoctorCommand.class, ReplayCommand.class },
        footer = { "", "Configuration: the bundled Neural Hive defaults, overridden by --config FILE, environment"
                + " variables (GUARDIAN_PROMETHEUS_URL, ...) and -Dguardian.* system properties.",
                "Exit code 3 means a configuration or runtime error, for every command." })
public class GuardianCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
