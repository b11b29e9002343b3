package dev.modelguardian.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import picocli.CommandLine;

/**
 * The usage help of {@code model-guardian --help} and {@code model-guardian <command> --help}, as picocli renders it,
 * kept as text under {@value #DIR} so that asking for it builds no command model: picocli's model of the eleven
 * commands is most of what help costs (docs/benchmarks.md). Each command has two texts, without colours and with
 * picocli's default colours, used as picocli would choose ({@code Ansi.AUTO}: a terminal, {@code NO_COLOR},
 * {@code picocli.ansi} ...). {@code UsageHelpTest} renders every text from the commands themselves and fails when one
 * differs (regenerate with {@code -Dhelp.write=true}).
 *
 * <p>Only those two exact forms are answered here; anything else is left to picocli: options beside the help option,
 * an alias, a usage width set by {@code picocli.usage.width}, colours set by {@code picocli.color.*}, a platform whose
 * line separator is not {@code \n}.
 */
public final class UsageHelp {

    /** Where the texts are, on the classpath: two files a command, named after it. */
    static final String DIR = "help/";
    /** The root command's name, the name of its text. */
    static final String ROOT = "model-guardian";
    /** The commands that have a text: the root and every subcommand of {@code GuardianCommand}. */
    static final List<String> COMMANDS = List.of(ROOT, "check", "serve", "remediate", "rollback", "approve", "reject",
            "status", "postmortem", "doctor", "replay");

    private static final Set<String> HELP_OPTIONS = Set.of("--help", "-h");

    private UsageHelp() {
    }

    /** The classpath resource of {@code command}'s text, with picocli's default colours or without. */
    static String resource(String command, boolean colours) {
        return DIR + command + (colours ? ".ansi.txt" : ".txt");
    }

    /** Every text's classpath resource (the native image must include them). */
    public static List<String> resources() {
        return COMMANDS.stream().flatMap(c -> Stream.of(resource(c, false), resource(c, true))).toList();
    }

    /**
     * The usage help {@code args} ask for, when they are exactly {@code --help} or {@code <command> --help} (or
     * {@code -h}), with colours when picocli would print them; empty otherwise (picocli answers).
     */
    static Optional<String> prerendered(String... args) {
        Optional<String> command = switch (args.length) {
            case 1 -> HELP_OPTIONS.contains(args[0]) ? Optional.of(ROOT) : Optional.empty();
            case 2 -> HELP_OPTIONS.contains(args[1]) && !args[0].equals(ROOT) && COMMANDS.contains(args[0])
                    ? Optional.of(args[0]) : Optional.empty();
            default -> Optional.empty();
        };
        if (command.isEmpty() || layoutSet()) {
            return Optional.empty();
        }
        return read(resource(command.get(), CommandLine.Help.Ansi.AUTO.enabled()));
    }

    /** Whether a setting makes picocli print other than the texts: a usage width, colours, a line separator. */
    private static boolean layoutSet() {
        return System.getProperty("picocli.usage.width") != null || !"\n".equals(System.lineSeparator())
                || System.getProperties().stringPropertyNames().stream().anyMatch(n -> n.startsWith("picocli.color."));
    }

    private static Optional<String> read(String resource) {
        try (InputStream in = UsageHelp.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the usage help " + resource, e);
        }
    }
}
