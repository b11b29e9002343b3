package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** The packaged application replays its bundled scenario: the scenarios and defaults are in the artifact. */
@QuarkusMainIntegrationTest
class ReplayCommandIT {

    @Test
    @Launch("replay")
    void givenNoArgument_whenReplayed_thenTheBundledDriftIncidentTimelineIsPrinted(LaunchResult result) {
        assertThat(result.getOutput())
                .contains("Scenario drift-incident:")
                .containsPattern("\\+1:04\\s+ticket-duration-predictor/feature-psi\\s+HEALTHY -> FIRING\\s+0.262\\s+")
                .containsPattern("\\+1:49\\s+orchestrator-dynamic-ml-training\\s+VERIFYING -> HEALTHY\\s+verified:")
                .contains("Signals began firing 1 time.");
    }
}
