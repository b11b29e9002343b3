package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    /** What picocli prints for {@code args}, colours off, as {@code GuardianMain} asks it before Quarkus starts. */
    private static String picocli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = GuardianMain.commandLine(CommandLine.defaultFactory());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
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
            String expected = picocli(helpOf(command));
            Path file = DIR.resolve(command + ".txt");
            if (Boolean.getBoolean("help.write")) {
                Files.createDirectories(DIR);
                Files.writeString(file, expected);
            }
            assertThat(file).as("%s; run with -Dhelp.write=true to write it again", file).exists();
            assertThat(Files.readString(file)).as("%s against picocli's help of %s", file, command)
                    .isEqualTo(expected).contains("Usage: model-guardian");
        }
    }

    @Test
    void givenEveryCommand_whenItsHelpIsAskedForExactly_thenItIsAnsweredFromItsTextOnTheClasspath() {
        for (String command : UsageHelp.COMMANDS) {
            assertThat(UsageHelp.prerendered(helpOf(command))).as("%s answered from its text", command)
                    .contains(picocli(helpOf(command)));
        }
        assertThat(UsageHelp.prerendered("check", "-h")).contains(picocli("check", "--help"));
        assertThat(UsageHelp.resources()).hasSize(UsageHelp.COMMANDS.size()).contains("help/check.txt");
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
