package dev.modelguardian.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import picocli.CommandLine;

/**
 * The usage help of {@code model-guardian --help} and {@code model-guardian <command> --help}, as picocli renders it
 * without colours, kept as text under {@value #DIR} so that asking for it builds no command model: picocli's model of
 * the eleven commands is most of what help costs (docs/benchmarks.md). {@code UsageHelpTest} renders every text from
 * the commands themselves and fails when one differs (regenerate with {@code -Dhelp.write=true}).
 *
 * <p>Only those two exact forms are answered here, and only when picocli would print no colours; anything else
 * (options beside the help option, a terminal that takes colours, a usage width set by
 * {@code picocli.usage.width}) is left to picocli.
 */
public final class UsageHelp {

    /** Where the texts are, on the classpath: one file a command, named after it. */
    static final String DIR = "help/";
    /** The root command's name, the name of its text. */
    static final String ROOT = "model-guardian";
    /** The commands that have a text: the root and every subcommand of {@code GuardianCommand}. */
    static final List<String> COMMANDS = List.of(ROOT, "check", "serve", "remediate", "rollback", "approve", "reject",
            "status", "postmortem", "doctor", "replay");

    private static final Set<String> HELP_OPTIONS = Set.of("--help", "-h");

    private UsageHelp() {
    }

    /** The classpath resource of {@code command}'s text. */
    static String resource(String command) {
        return DIR + command + ".txt";
    }

    /** Every text's classpath resource (the native image must include them). */
    public static List<String> resources() {
        return COMMANDS.stream().map(UsageHelp::resource).toList();
    }

    /**
     * The usage help {@code args} ask for, when they are exactly {@code --help} or {@code <command> --help} (or
     * {@code -h}) and picocli would print it without colours; empty otherwise.
     */
    static Optional<String> prerendered(String... args) {
        Optional<String> command = switch (args.length) {
            case 1 -> HELP_OPTIONS.contains(args[0]) ? Optional.of(ROOT) : Optional.empty();
            case 2 -> HELP_OPTIONS.contains(args[1]) && !args[0].equals(ROOT) && COMMANDS.contains(args[0])
                    ? Optional.of(args[0]) : Optional.empty();
            default -> Optional.empty();
        };
        if (command.isEmpty() || System.getProperty("picocli.usage.width") != null
                || CommandLine.Help.Ansi.AUTO.enabled()) {
            return Optional.empty();
        }
        return read(resource(command.get()));
    }

    private static Optional<String> read(String resource) {
        try (InputStream in = UsageHelp.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the usage help " + resource, e);
        }
    }
}
