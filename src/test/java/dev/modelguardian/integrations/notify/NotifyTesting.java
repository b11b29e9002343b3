package dev.modelguardian.integrations.notify;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.remediation.RemediationListener.Step;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.TestConfigs;

/** Notifiers built from YAML exactly as the application maps {@code guardian.notify}, with fast retries. */
final class NotifyTesting {

    static final String HINT = "config.scheduler.enableMlEnhancedScheduling=false";

    private NotifyTesting() {
    }

    /** {@code guardian.notify} from {@code channels} (YAML under notify:) plus quick backoff and the Neural Hive hint. */
    static GuardianConfig.Notify config(String channels) {
        return settings(channels).guardian().notifications();
    }

    /** The whole configuration of {@link #config(String)}: the channels' own settings with it. */
    static Settings settings(String channels) {
        return TestConfigs.settings("""
                guardian:
                  notify:
                    rollback-hint: %s
                    initial-backoff: 20ms
                    max-backoff: 2s
                    timeout: 5s
                """.formatted(HINT) + channels.indent(4));
    }

    static Notifier notifier(String channels, MeterRegistry registry, MutableClock clock) {
        Settings settings = settings(channels);
        return new Notifier(settings.guardian().notifications(), Story.NAMESPACE,
                Extensions.channels(settings, Story.NAMESPACE), registry, clock);
    }

    static MutableClock clock() {
        MutableClock clock = new MutableClock();
        clock.set(Story.T0);
        return clock;
    }

    static SimpleMeterRegistry registry() {
        return new SimpleMeterRegistry();
    }

    static double count(MeterRegistry registry, String channel, String outcome) {
        var counter = registry.find("guardian.notifications").tags("channel", channel, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    static void tell(Notifier notifier, List<Step> steps) {
        steps.forEach(notifier::stepped);
    }

    static final Duration AWAIT = Duration.ofSeconds(10);
}
