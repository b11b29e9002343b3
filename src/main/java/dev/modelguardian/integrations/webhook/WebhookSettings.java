package dev.modelguardian.integrations.webhook;

import java.util.List;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The generic JSON webhook, {@code guardian.notify.webhook.*}: schema {@code model-guardian/notification/v1}
 * (docs/notifications.md).
 */
@ConfigMapping(prefix = "guardian.notify.webhook")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the providers read it through
// Settings.of, not by injection.
@Unremovable
public interface WebhookSettings {
    /**
     * The URL the JSON is POSTed to; the channel is on when set. Treated as a secret (it may carry a token):
     * env {@code GUARDIAN_NOTIFY_WEBHOOK_URL}.
     */
    Optional<String> url();

    /**
     * Key of the HMAC-SHA256 signature of the body, sent as {@code X-Guardian-Signature: sha256=<hex>}; no
     * signature without it. A secret: env {@code GUARDIAN_NOTIFY_WEBHOOK_HMAC_KEY}.
     */
    Optional<String> hmacKey();

    /** Milestones sent to the webhook. */
    @WithDefault("firing,retraining-started,validation-passed,validation-failed,promoted,verification-failed,"
            + "failed,rolled-back,rollback-failed,recovered,inconclusive-too-long")
    List<String> milestones();

    /**
     * When a remediation ends, carry its post-mortem draft (Markdown, without the signals over the window) in
     * the payload's {@code postmortem} field, for a receiver that files it (a wiki, a ticket).
     */
    @WithDefault("true")
    boolean postmortem();
}
