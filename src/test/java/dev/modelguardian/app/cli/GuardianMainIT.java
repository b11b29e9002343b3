package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

/** The packaged application (jar under failsafe, the binary with -Pnative): help and a bad configuration. */
@QuarkusMainIntegrationTest
class GuardianMainIT {

    @TempDir
    Path dir;

    @Test
    @Launch("--help")
    void givenHelp_whenAsked_thenEveryCommandIsListedAndExitIs0(LaunchResult result) {
        assertThat(result.getOutput()).contains("check", "serve", "remediate", "replay", "doctor")
                .contains("Exit code 3 means a configuration or runtime error");
    }

    @Test
    void givenAnInvalidConfiguration_whenChecked_thenEveryProblemIsListedAndExitIs3(QuarkusMainLauncher launcher)
            throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yaml"), """
                guardian:
                  interval: -5s
                """);

        LaunchResult result = launcher.launch("check", "--config", config.toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("model-guardian: invalid configuration")
                .contains("guardian.interval");
    }
}
