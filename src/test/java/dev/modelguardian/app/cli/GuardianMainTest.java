package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.modelguardian.config.GuardianConfigSourceFactory;

/** What the command line means before Quarkus starts: for configuration, and usage help printed there. */
class GuardianMainTest {

    @Test
    void givenOneShotCommand_whenPrepared_thenNoHttpPortNoSchedulerAndQuietStartup() {
        GuardianMain.Launch launch = GuardianMain.prepare("check", "--output", "json");

        assertThat(launch.problem()).isNull();
        assertThat(launch.properties())
                .containsEntry("quarkus.http.host-enabled", "false")
                .containsEntry("quarkus.scheduler.enabled", "false")
                .containsEntry("quarkus.log.category.\"io.quarkus\".level", "WARN");
    }

    @Test
    void givenServe_whenPrepared_thenHttpAndSchedulerAreLeftOn() {
        assertThat(GuardianMain.prepare("serve").properties()).isEmpty();
    }

    @Test
    void givenConfigFileInEitherForm_whenPrepared_thenItsAbsolutePathReachesConfiguration(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("g.yaml"), "guardian: {}\n");

        assertThat(GuardianMain.prepare("check", "--config", file.toString()).properties())
                .containsEntry(GuardianConfigSourceFactory.CONFIG_FILE_PROPERTY, file.toAbsolutePath().toString());
        assertThat(GuardianMain.prepare("--config=" + file, "check").properties())
                .containsEntry(GuardianConfigSourceFactory.CONFIG_FILE_PROPERTY, file.toAbsolutePath().toString());
    }

    @Test
    void givenHelpOfAnyCommand_whenLaunched_thenItIsPrintedBeforeStartWithExitZero() {
        StringWriter out = new StringWriter();

        assertThat(GuardianMain.helpBeforeStart(early(out), "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: model-guardian [-hV] [COMMAND]");
        out.getBuffer().setLength(0);
        assertThat(GuardianMain.helpBeforeStart(early(out), "rollback", "-h")).isZero();
        assertThat(out.toString()).startsWith("Usage: model-guardian rollback");
    }

    @Test
    void givenNoHelpOption_whenLaunched_thenTheCommandTreeIsNotBuiltBeforeQuarkusStarts() {
        AtomicInteger built = new AtomicInteger();
        Supplier<CommandLine> counting = () -> {
            built.incrementAndGet();
            return GuardianMain.commandLine(CommandLine.defaultFactory());
        };

        assertThat(GuardianMain.helpBeforeStart(counting, "--config", "g.yaml", "check", "--output", "json")).isNull();
        assertThat(built).hasValue(0);
        assertThat(GuardianMain.helpBeforeStart(counting, "check", "-hV")).isNull();
        assertThat(built).hasValue(1);
    }

    @Test
    void givenAnArgumentFileThatCannotBeRead_whenHelpIsAsked_thenTheFullStartReportsIt(@TempDir Path dir) {
        StringWriter out = new StringWriter();

        assertThat(GuardianMain.helpBeforeStart(early(out), "check", "@" + dir, "-h")).isNull();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void givenACommandToRunOrTheVersion_whenLaunched_thenQuarkusStartsAndNothingIsPrintedBefore() {
        StringWriter out = new StringWriter();

        assertThat(GuardianMain.helpBeforeStart(early(out), "check")).isNull();
        assertThat(GuardianMain.helpBeforeStart(early(out), "--version")).isNull();
        assertThat(GuardianMain.helpBeforeStart(early(out), "check", "--help", "--version")).isNull();
        assertThat(GuardianMain.helpBeforeStart(early(out))).isNull();
        assertThat(out.toString()).isEmpty();
    }

    private static Supplier<CommandLine> early(StringWriter out) {
        return () -> {
            CommandLine commandLine = GuardianMain.commandLine(CommandLine.defaultFactory());
            commandLine.setOut(new PrintWriter(out));
            return commandLine;
        };
    }

    @Test
    void givenConfigWithoutFile_whenPrepared_thenTheProblemSaysHowToWriteIt() {
        assertThat(GuardianMain.prepare("check", "--config").problem()).isEqualTo("--config needs a file: --config FILE");
    }
}
