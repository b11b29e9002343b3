package dev.modelguardian.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.core.remediation.InMemoryStateStore;
import dev.modelguardian.integrations.metrics.GuardianMetrics;
import dev.modelguardian.testing.TestConfigs;
import dev.modelguardian.testing.ThreeTargets;

/**
 * A cycle in which one target's runs cannot be read fails, as before; what it did for the other targets and the
 * signals it read are recorded all the same: the status's last cycle, the gauges, the timers and the source-error
 * alerts. Its error stays until a full cycle succeeds.
 */
class ServeLoopFailedTargetTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<String> alerts = new ArrayList<>();

    ServeLoop loop(ThreeTargets.Trigger trigger, String failingModel, String yaml) {
        ServeLoop loop = new ServeLoop();
        loop.engine = ThreeTargets.engine(new InMemoryStateStore(), trigger, failingModel);
        loop.config = TestConfigs.fromYaml(yaml);
        loop.metrics = new GuardianMetrics(registry);
        loop.clock = Clock.fixed(ThreeTargets.T0, ZoneOffset.UTC);
        loop.listener = (target, note) -> alerts.add(target.name() + ": " + note);
        return loop;
    }

    @Test
    void givenOneTargetsRunsUnreadable_whenACycleRuns_thenItFailsButWhatItDidIsRecorded() {
        ServeLoop loop = loop(new ThreeTargets.Trigger("b"), "none", "");

        assertThat(loop.cycle()).as("the cycle failed").isEmpty();

        assertThat(loop.lastError()).contains("cannot list the training runs of b: HTTP 503");
        assertThat(loop.lastCycle()).hasValueSatisfying(report -> {
            assertThat(report.evaluations()).hasSize(3);
            assertThat(report.targets()).extracting(t -> t.target().name()).containsExactly("a", "c");
        });
        assertThat(registry.get("guardian.target.state").tags("target", "a", "state", "retraining").gauge().value())
                .isEqualTo(1.0);
        assertThat(registry.get("guardian.signal.value").tags("model", "model-b", "signal", "mae").gauge().value())
                .isEqualTo(30.0);
        assertThat(registry.get("guardian.cycle").timer().count()).isEqualTo(1);
        assertThat(registry.get("guardian.external.call").tags("system", "fixed", "operation", "query").timer()
                .count()).isEqualTo(3);
    }

    @Test
    void givenASignalAtItsSourceErrorLimitInACycleThatFails_whenItRuns_thenTheAlertIsStillRaised() {
        ServeLoop loop = loop(new ThreeTargets.Trigger("a"), "model-c", "guardian:\n  source-error-limit: 1\n");

        assertThat(loop.cycle()).as("the cycle failed on a").isEmpty();

        assertThat(alerts).singleElement().satisfies(alert -> assertThat(alert)
                .startsWith("c: model-c/mae: 1 consecutive source errors (limit 1)"));
    }

    @Test
    void givenAFailedCycle_whenAFollowUpSucceeds_thenTheErrorStaysUntilAFullCycleSucceeds() {
        ThreeTargets.Trigger trigger = new ThreeTargets.Trigger("b");
        ServeLoop loop = loop(trigger, "none", "");
        loop.cycle();

        loop.followUp();

        assertThat(loop.lastError()).as("a follow-up says nothing of b").contains(
                "cannot list the training runs of b: HTTP 503");
        trigger.broken = "none";
        assertThat(loop.cycle()).isPresent();
        assertThat(loop.lastError()).isEmpty();
    }
}
