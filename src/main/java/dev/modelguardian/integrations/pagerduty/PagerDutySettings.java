package dev.modelguardian.integrations.pagerduty;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * PagerDuty Events API v2, {@code guardian.notify.pagerduty.*}: a trigger for each of {@link #milestones()}, all of
 * one incident under one {@code dedup_key}, and a resolve when the target is healthy again.
 */
@ConfigMapping(prefix = "guardian.notify.pagerduty")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the providers read it through
// Settings.of, not by injection.
@Unremovable
public interface PagerDutySettings {
    /**
     * The integration's routing key (32 characters); the channel is on when set. A secret: mount it from a
     * Secret as env {@code GUARDIAN_NOTIFY_PAGERDUTY_ROUTING_KEY}.
     */
    Optional<String> routingKey();

    /** The Events API v2 enqueue endpoint. */
    @WithDefault("https://events.pagerduty.com/v2/enqueue")
    String url();

    /** Milestones that trigger (or update) the target's incident. */
    @WithDefault("failed,rolled-back,rollback-failed,inconclusive-too-long")
    List<String> milestones();

    /**
     * PagerDuty severity ({@code critical}, {@code error}, {@code warning}, {@code info}) by milestone,
     * overriding the defaults: {@code rolled-back} and {@code rollback-failed: critical},
     * {@code failed}, {@code validation-failed} and {@code verification-failed: error}, anything else
     * {@code warning}.
     */
    Map<String, String> severity();

    /** The {@code payload.source} of events; defaults to {@code model-guardian/<namespace>}. */
    Optional<String> source();
}
