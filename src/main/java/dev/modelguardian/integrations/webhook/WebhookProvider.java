package dev.modelguardian.integrations.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.ChannelChecks;
import dev.modelguardian.config.extension.ChannelProvider;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.notify.Channel;

/**
 * The generic JSON webhook, whole: {@code guardian.notify.webhook.*} validated, its {@code doctor} check
 * ({@code notify/webhook}) and the {@link WebhookChannel} when the URL is set. The URL and the HMAC key are secrets:
 * nothing here shows any part of them.
 */
public final class WebhookProvider implements ChannelProvider {

    private static final String PREFIX = "guardian.notify.webhook";
    private static final String ENV = "GUARDIAN_NOTIFY_WEBHOOK_URL";

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(WebhookSettings.class);
    }

    @Override
    public void validate(Settings settings, List<ConfigProblem> problems) {
        WebhookSettings webhook = settings.of(WebhookSettings.class);
        webhook.url().ifPresent(url -> ChannelChecks.secretUrl(problems, PREFIX + ".url", url, ENV));
        webhook.hmacKey().filter(k -> k.length() < 16).ifPresent(k -> problems.add(new ConfigProblem(
                PREFIX + ".hmac-key", "shorter than 16 characters; use a long random value from a Secret"
                        + " (e.g. openssl rand -hex 32), or remove it to send unsigned")));
        if (webhook.hmacKey().isPresent() && webhook.url().isEmpty()) {
            problems.add(new ConfigProblem(PREFIX + ".hmac-key", "set, but guardian.notify.webhook.url is not;"
                    + " set GUARDIAN_NOTIFY_WEBHOOK_URL or remove the key"));
        }
    }

    @Override
    public List<Check> doctor(Settings settings, DoctorContext context) {
        String check = "notify/webhook";
        WebhookSettings webhook = settings.of(WebhookSettings.class);
        List<Check> checks = new ArrayList<>();
        Optional<String> url = webhook.url();
        if (url.isEmpty()) {
            List<String> routing = new ArrayList<>(ChannelChecks.routing(context.explicitlySet(),
                    PREFIX + ".milestones"));
            if (webhook.hmacKey().isPresent()) {
                routing.add(PREFIX + ".hmac-key");
            }
            checks.add(ChannelChecks.off(check, "the webhook", PREFIX + ".url", ENV, "webhook-url", routing));
            return checks;
        }
        if (!ChannelChecks.secretUrl(checks, check, "the webhook", "URL", url.get(), ENV, "webhook-url")) {
            return checks;
        }
        if (!ChannelChecks.takesMilestones(checks, check, "the webhook", PREFIX + ".milestones",
                webhook.milestones())) {
            return checks;
        }
        Optional<String> hmac = webhook.hmacKey();
        if (hmac.isPresent() && hmac.get().length() < 16) {
            checks.add(Check.fail(check, "guardian.notify.webhook.hmac-key is shorter than 16 characters (a secret,"
                    + " not shown)", "use a long random value from a Secret (e.g. openssl rand -hex 32), env"
                            + " GUARDIAN_NOTIFY_WEBHOOK_HMAC_KEY, or remove it to send unsigned"));
            return checks;
        }
        checks.add(Check.ok(check, "on: URL set (a secret, not shown), " + (hmac.isPresent()
                ? "signed (X-Guardian-Signature, HMAC-SHA256; key set, not shown)"
                : "unsigned (no guardian.notify.webhook.hmac-key)") + "; sends "
                + String.join(", ", ChannelChecks.known(webhook.milestones()))));
        return checks;
    }

    @Override
    public Optional<Channel> channel(Settings settings, String namespace) {
        WebhookSettings webhook = settings.of(WebhookSettings.class);
        return webhook.url().filter(u -> !u.isBlank()).map(url -> new WebhookChannel(url,
                webhook.hmacKey().filter(k -> !k.isBlank()), ChannelChecks.milestoneSet(webhook.milestones()),
                webhook.postmortem()));
    }
}
