package dev.modelguardian.integrations.slack;

import java.util.List;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Slack incoming webhook, {@code guardian.notify.slack.*}: one message per milestone, blocks with a plain {@code text}
 * fallback.
 */
@ConfigMapping(prefix = "guardian.notify.slack")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the providers read it through
// Settings.of, not by injection.
@Unremovable
public interface SlackSettings {
    /**
     * The incoming-webhook URL; the channel is on when set. A secret: mount it from a Secret as env
     * {@code GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL}; only its host is ever logged.
     */
    Optional<String> webhookUrl();

    /** Milestones sent to Slack. */
    @WithDefault("firing,retraining-started,validation-passed,validation-failed,promoted,verification-failed,"
            + "failed,rolled-back,rollback-failed,recovered,inconclusive-too-long")
    List<String> milestones();

    /**
     * When a remediation ends, add the post-mortem draft's one-line summary (outcome, time from the first
     * breach) and the command that writes the draft to the message. Off by default: a channel people read.
     */
    @WithDefault("false")
    boolean postmortemSummary();
}
