package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import picocli.CommandLine;

/**
 * The usage help {@link GuardianMain} prints before Quarkus starts is the help the started application prints: the
 * commands built by picocli's default factory (injected fields empty) against the ones CDI builds.
 */
@QuarkusTest
class GuardianMainHelpTest {

    @Inject
    CommandLine.IFactory factory;

    @Test
    void givenEveryCommand_whenHelpIsPrintedBeforeStart_thenItIsTheHelpOfTheStartedApplication() {
        CommandLine started = GuardianMain.commandLine(factory);
        CommandLine early = GuardianMain.commandLine(CommandLine.defaultFactory());

        assertThat(early.getSubcommands().keySet()).contains("check", "serve", "replay")
                .isEqualTo(started.getSubcommands().keySet());
        assertThat(usage(early)).isEqualTo(usage(started)).contains("Usage: model-guardian");
        started.getSubcommands().forEach((name, command) -> assertThat(usage(early.getSubcommands().get(name)))
                .as("help of %s", name)
                .isEqualTo(usage(command))
                .contains("Usage: model-guardian " + command.getCommandName() + " "));
    }

    @Test
    void givenHelpOfACommand_whenAskedBeforeStart_thenThatCommandsHelpIsPrintedWithExitZero() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = GuardianMain.commandLine(factory);
        commandLine.setOut(new PrintWriter(out));

        assertThat(GuardianMain.helpBeforeStart(() -> commandLine, "check", "--config", "g.yaml", "--help")).isZero();
        assertThat(out.toString()).isEqualTo(usage(GuardianMain.commandLine(factory).getSubcommands().get("check")));
    }

    private static String usage(CommandLine commandLine) {
        StringWriter out = new StringWriter();
        commandLine.usage(new PrintWriter(out), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }
}
