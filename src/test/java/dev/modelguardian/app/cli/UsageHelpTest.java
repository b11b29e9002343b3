package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * The usage help kept as text ({@link UsageHelp}) is what picocli prints for each command without colours, and is
 * answered only for the exact forms it stands for. Run with {@code -Dhelp.write=true} to write the texts again after
 * a command's options or descriptions change.
 */
class UsageHelpTest {

    private static final Path DIR = Path.of("src/main/resources").resolve(UsageHelp.DIR);

    /** What picocli prints for {@code args} with colours as {@code ansi} says, as {@code GuardianMain} asks it. */
    private static String picocli(CommandLine.Help.Ansi ansi, String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = GuardianMain.commandLine(CommandLine.defaultFactory());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        assertThat(GuardianMain.helpBeforeStart(() -> commandLine, args)).as("exit of %s", List.of(args)).isZero();
        return out.toString();
    }

    private static String[] helpOf(String command) {
        return command.equals(UsageHelp.ROOT) ? new String[] {"--help"} : new String[] {command, "--help"};
    }

    @Test
    void givenEveryCommand_whenItsHelpIsAskedFor_thenTheKeptTextIsWhatPicocliPrints() throws IOException {
        Map<String, CommandLine> subcommands = GuardianMain.commandLine(CommandLine.defaultFactory())
                .getSubcommands();
        List<String> all = new ArrayList<>(List.of(UsageHelp.ROOT));
        // An alias (post-mortem) is left to picocli: its help is its command's.
        subcommands.values().stream().map(CommandLine::getCommandName).distinct().forEach(all::add);
        assertThat(UsageHelp.COMMANDS).as("a text for the root and every subcommand")
                .containsExactlyInAnyOrderElementsOf(all);

        for (String command : UsageHelp.COMMANDS) {
            for (CommandLine.Help.Ansi ansi : List.of(CommandLine.Help.Ansi.OFF, CommandLine.Help.Ansi.ON)) {
                String expected = picocli(ansi, helpOf(command));
                Path file = Path.of("src/main/resources").resolve(UsageHelp.resource(command,
                        ansi == CommandLine.Help.Ansi.ON));
                if (Boolean.getBoolean("help.write")) {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, expected, StandardCharsets.US_ASCII);
                }
                assertThat(file).as("%s; run with -Dhelp.write=true to write it again", file).exists();
                assertThat(Files.readString(file)).as("%s against picocli's help of %s", file, command)
                        .isEqualTo(expected).contains("model-guardian").doesNotContain("\r")
                        .matches(text -> text.chars().allMatch(c -> c < 128), "ASCII only");
            }
        }
        assertThat(Files.readString(DIR.resolve("check.ansi.txt"))).as("picocli's colours").contains("\u001B[1m");
    }

    @Test
    void givenEveryCommand_whenItsHelpIsAskedForExactly_thenItIsAnsweredFromItsTextOnTheClasspath() {
        // With colours or not as picocli decides here (a build has no terminal; a developer's may force colours).
        CommandLine.Help.Ansi auto = CommandLine.Help.Ansi.AUTO.enabled() ? CommandLine.Help.Ansi.ON
                : CommandLine.Help.Ansi.OFF;
        for (String command : UsageHelp.COMMANDS) {
            assertThat(UsageHelp.prerendered(helpOf(command))).as("%s answered from its text", command)
                    .contains(picocli(auto, helpOf(command)));
        }
        assertThat(UsageHelp.prerendered("check", "-h")).contains(picocli(auto, "check", "--help"));
        assertThat(UsageHelp.resources()).hasSize(2 * UsageHelp.COMMANDS.size())
                .contains("help/check.txt", "help/check.ansi.txt");
    }

    @Test
    void givenHelpWithOtherArgumentsOrAnUnknownCommand_whenAskedFor_thenPicocliAnswersIt() {
        assertThat(UsageHelp.prerendered("check", "--config", "g.yaml", "--help")).isEmpty();
        assertThat(UsageHelp.prerendered("--help", "check")).isEmpty();
        assertThat(UsageHelp.prerendered("chek", "--help")).isEmpty();
        assertThat(UsageHelp.prerendered("model-guardian", "--help")).isEmpty();
        assertThat(UsageHelp.prerendered("check")).isEmpty();
        assertThat(UsageHelp.prerendered()).isEmpty();
        assertThat(UsageHelp.prerendered("-hV")).isEmpty();
    }
}
