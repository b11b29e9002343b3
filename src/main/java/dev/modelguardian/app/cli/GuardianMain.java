package dev.modelguardian.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import picocli.CommandLine;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.GuardianConfigSourceFactory;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.remediation.TargetSpec;

/**
 * Entry point of every mode. Before Quarkus starts it reads the two things configuration depends on: the
 * {@code --config} file and whether the command is {@code serve} (the only one that opens an HTTP port and runs a
 * scheduler); usage help it prints there and then, since it needs nothing started. Then it validates the
 * {@code guardian.*} tree and runs the picocli command.
 */
@QuarkusMain
public class GuardianMain implements QuarkusApplication {

    /** Exit code of configuration and runtime errors, shared by every command. */
    public static final int EXIT_ERROR = 3;
    private static final Set<String> LONG_RUNNING = Set.of("serve");
    private static final String QUARKUS_LOG_LEVEL = "quarkus.log.category.\"io.quarkus\".level";

    @Inject
    CommandLine.IFactory factory;

    @Inject
    GuardianConfig config;

    @Inject
    Settings settings;

    @Inject
    ModelSet modelSet;

    public static void main(String... args) {
        // The default handler exits the JVM in production and records the code under @QuarkusMainTest.
        BiConsumer<Integer, Throwable> exit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        Launch launch = prepare(args);
        if (launch.problem() != null) {
            System.err.println("model-guardian: " + launch.problem());
            exit.accept(EXIT_ERROR, null);
            return;
        }
        Optional<String> help = UsageHelp.prerendered(args);
        if (help.isPresent()) { // the common forms of --help, without building picocli's model of the commands
            System.out.print(help.get());
            System.out.flush();
            exit.accept(0, null);
            return;
        }
        Integer helpExit = helpBeforeStart(() -> commandLine(CommandLine.defaultFactory()), args);
        if (helpExit != null) {
            exit.accept(helpExit, null);
            return;
        }
        List<String> applied = new ArrayList<>();
        launch.properties().forEach((key, value) -> {
            if (System.getProperty(key) == null) { // an explicit -D wins
                System.setProperty(key, value);
                applied.add(key);
            }
        });
        try {
            Quarkus.run(GuardianMain.class, (code, failure) -> {
                if (failure != null) {
                    System.err.println("model-guardian: cannot start: " + StartupFailures.describe(failure));
                    exit.accept(EXIT_ERROR, failure);
                } else {
                    exit.accept(code, null);
                }
            }, args);
        } finally {
            // Several launches share one JVM under @QuarkusMainTest: leave nothing for the next one.
            applied.forEach(System::clearProperty);
        }
    }

    /**
     * What the command line means for configuration, which is fixed once Quarkus starts.
     *
     * @param properties system properties to set (unless already set)
     * @param problem    what is wrong with the command line, or null
     */
    record Launch(Map<String, String> properties, String problem) {
    }

    /** Reads {@code --config} and the command name; pure, so that it can be tested without starting anything. */
    static Launch prepare(String... args) {
        String command = null;
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String file = null;
            if (arg.equals("--config")) {
                if (i + 1 >= args.length) {
                    return new Launch(Map.of(), "--config needs a file: --config FILE");
                }
                file = args[++i];
            } else if (arg.startsWith("--config=")) {
                file = arg.substring("--config=".length());
            } else if (command == null && !arg.startsWith("-")) {
                command = arg;
            }
            if (file != null) {
                Path path = Path.of(file);
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    return new Launch(Map.of(), "--config " + file + ": no such readable file");
                }
                properties.put(GuardianConfigSourceFactory.CONFIG_FILE_PROPERTY, path.toAbsolutePath().toString());
            }
        }
        if (command == null || !LONG_RUNNING.contains(command)) {
            // One-shot commands open no port, start no scheduler, and keep Quarkus' start/stop lines off stderr.
            properties.put("quarkus.http.host-enabled", "false");
            properties.put("quarkus.scheduler.enabled", "false");
            properties.put(QUARKUS_LOG_LEVEL, "WARN");
        }
        return new Launch(Map.copyOf(properties), null);
    }

    /**
     * Prints the usage help {@code args} ask for, through the {@code commandLine} built on demand, without starting
     * Quarkus: help reads neither configuration nor beans, and skipping the start makes it about three times faster in
     * JVM mode (docs/benchmarks.md). The commands are built by picocli's default factory instead of CDI; their injected
     * fields stay empty, and nothing in the help reads them ({@code GuardianMainHelpTest} compares both for every
     * command). Arguments with no help option in them do not build the tree at all.
     *
     * @return the exit code when usage help was printed, or null when the command line asks for something else, asks
     *         for the version (which reads Quarkus' configuration), or does not parse (the full start reports that)
     */
    static Integer helpBeforeStart(Supplier<CommandLine> commandLine, String... args) {
        if (Arrays.stream(args).noneMatch(GuardianMain::mayAskForHelp)) {
            return null; // building the command tree twice would cost every other command a fifth of a second
        }
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.get().parseArgs(args);
        } catch (CommandLine.PicocliException e) { // a bad option, or an @file that cannot be read
            return null;
        }
        for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.isVersionHelpRequested()) {
                return null;
            }
        }
        return CommandLine.executeHelpRequest(parsed);
    }

    /** {@code --help}, {@code -h} or short options clustered with it ({@code -hV}); picocli decides the rest. */
    private static boolean mayAskForHelp(String arg) {
        return arg.equals("--help") || arg.startsWith("-") && !arg.startsWith("--") && arg.indexOf('h') > 0;
    }

    /** The command tree with the parser settings every launch uses, its commands made by {@code factory}. */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine commandLine = new CommandLine(GuardianCommand.class, factory);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    @Override
    public int run(String... args) {
        CommandLine commandLine = commandLine(factory);
        commandLine.setExecutionStrategy(parseResult -> {
            Integer helpExit = CommandLine.executeHelpRequest(parseResult);
            if (helpExit != null) {
                return helpExit;
            }
            // doctor reports configuration problems among its other checks instead of stopping at them.
            boolean doctor = parseResult.hasSubcommand()
                    && parseResult.subcommand().commandSpec().userObject() instanceof DoctorCommand;
            List<ConfigProblem> problems = doctor ? List.of() : Extensions.validate(settings, modelSet);
            if (!problems.isEmpty()) {
                return reportProblems(commandLine.getErr(), problems);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setParameterExceptionHandler((ex, cmdArgs) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("model-guardian: " + ex.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_ERROR;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("model-guardian: " + cmd.getCommandName() + " failed: " + ex.getMessage());
            return EXIT_ERROR;
        });
        return commandLine.execute(args);
    }

    /** Prints every configuration problem, one a line, and returns the error exit code. */
    /** What every command that takes {@code --target} says of a name that is no training target. */
    static String unknownTarget(String name, List<TargetSpec> targets) {
        return "no training target '" + name + "'; known targets: "
                + targets.stream().map(TargetSpec::name).toList();
    }

    static int reportProblems(PrintWriter err, List<ConfigProblem> problems) {
        err.println("model-guardian: invalid configuration (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):");
        problems.forEach(p -> err.println("  - " + p));
        err.flush();
        return EXIT_ERROR;
    }
}
