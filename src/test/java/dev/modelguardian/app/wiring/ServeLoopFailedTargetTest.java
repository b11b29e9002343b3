package dev.modelguardian.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.core.remediation.InMemoryStateStore;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.integrations.metrics.GuardianMetrics;
import dev.modelguardian.testing.TestConfigs;
import dev.modelguardian.testing.ThreeTargets;

/**
 * A cycle in which one target's runs cannot be read fails, as before; what it did for the other targets and the
 * signals it read are recorded all the same: the status's last cycle, the gauges and the external-call timers.
 */
class ServeLoopFailedTargetTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<String> alerts = new ArrayList<>();

    ServeLoop loop(ThreeTargets.Trigger trigger) {
        ServeLoop loop = new ServeLoop();
        loop.engine = ThreeTargets.engine(new InMemoryStateStore(), trigger);
        loop.config = TestConfigs.fromYaml("");
        loop.metrics = new GuardianMetrics(registry);
        loop.clock = Clock.fixed(ThreeTargets.T0, ZoneOffset.UTC);
        loop.listener = (target, note) -> alerts.add(target.name() + ": " + note);
        return loop;
    }

    @Test
    void givenOneTargetsRunsUnreadable_whenACycleRuns_thenItFailsButWhatItDidIsRecorded() {
        ServeLoop loop = loop(new ThreeTargets.Trigger("b"));

        assertThat(loop.cycle()).as("the cycle failed").isEmpty();

        assertThat(loop.lastError()).contains("cannot list the training runs of b: HTTP 503");
        assertThat(loop.lastCycle()).hasValueSatisfying(report -> {
            assertThat(report.evaluations()).hasSize(3);
            assertThat(report.targets()).extracting(t -> t.target().name()).containsExactly("a", "c");
        });
        assertThat(registry.get("guardian.target.state").tags("target", "a", "state", "retraining").gauge().value())
                .isEqualTo(1.0);
        assertThat(registry.get("guardian.external.call").tags("system", "fixed", "operation", "query").timer()
                .count()).isEqualTo(3);
        assertThat(registry.find("guardian.target.state").tags("target", "b").gauges())
                .as("b was not advanced: no gauge claims a state for it").isEmpty();
    }

    @Test
    void givenEveryTargetReadable_whenACycleRuns_thenItSucceedsAndClearsNoError() {
        ServeLoop loop = loop(new ThreeTargets.Trigger("none"));

        assertThat(loop.cycle()).map(RemediationEngine.CycleReport::targets).hasValueSatisfying(
                targets -> assertThat(targets).hasSize(3));
        assertThat(loop.lastError()).isEmpty();
    }
}
