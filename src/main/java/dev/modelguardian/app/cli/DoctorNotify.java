package dev.modelguardian.app.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

import dev.modelguardian.core.check.Check;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.notify.Milestone;

/**
 * The notification checks of {@code doctor}: which channels are on (a channel is on when its URL or key is set, as in
 * {@code Notifier}), and what contradicts itself: routing for a channel that is off, a malformed URL or key, a channel
 * that is on but takes no milestone, a secret sent over plain http. Kubernetes Events are always on.
 *
 * <p>Webhook URLs and keys are secrets: no detail or fix contains any part of them, only whether they are set and
 * what is wrong with them. The PagerDuty endpoint is not a secret; only its host is shown all the same.
 */
final class DoctorNotify {

    private static final String SECRET = "model-guardian-secrets";

    private final GuardianConfig.Notify notify;
    private final String namespace;
    private final Predicate<String> explicitlySet;
    private final List<Check> checks = new ArrayList<>();

    /**
     * @param explicitlySet whether a property has a value of its own (not its default): routing configured for a
     *                      channel that is off is only worth a warning when someone wrote it
     */
    DoctorNotify(GuardianConfig.Notify notify, String namespace, Predicate<String> explicitlySet) {
        this.notify = notify;
        this.namespace = namespace;
        this.explicitlySet = explicitlySet;
    }

    List<Check> run() {
        checks.add(Check.ok("notify/events", "Kubernetes Events (events.k8s.io/v1) in " + namespace
                + ": always on, one per remediation step"));
        slack();
        pagerDuty();
        webhook();
        return List.copyOf(checks);
    }

    private void slack() {
        String check = "notify/slack";
        String property = "guardian.notify.slack.webhook-url";
        String env = "GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL";
        Optional<String> url = notify.slack().webhookUrl();
        if (url.isEmpty()) {
            off(check, "Slack", property, env, "slack-webhook-url", routing("guardian.notify.slack.milestones"));
            return;
        }
        if (!secretUrl(check, "Slack", "webhook URL", url.get(), env, "slack-webhook-url")) {
            return;
        }
        if (!milestones(check, "Slack", "guardian.notify.slack.milestones", notify.slack().milestones())) {
            return;
        }
        checks.add(Check.ok(check, "on: webhook URL set (a secret, not shown); sends "
                + String.join(", ", known(notify.slack().milestones()))));
    }

    private void pagerDuty() {
        String check = "notify/pagerduty";
        GuardianConfig.Notify.PagerDuty pd = notify.pagerduty();
        String env = "GUARDIAN_NOTIFY_PAGERDUTY_ROUTING_KEY";
        Optional<String> key = pd.routingKey();
        if (key.isEmpty()) {
            List<String> routing = new ArrayList<>(routing("guardian.notify.pagerduty.milestones",
                    "guardian.notify.pagerduty.source", "guardian.notify.pagerduty.url"));
            if (!pd.severity().isEmpty()) {
                routing.add("guardian.notify.pagerduty.severity");
            }
            off(check, "PagerDuty", "guardian.notify.pagerduty.routing-key", env, "pagerduty-routing-key", routing);
            return;
        }
        Optional<String> keyProblem = ConfigValidator.routingKeyProblem(key.get());
        if (keyProblem.isPresent()) {
            checks.add(Check.fail(check, "routing key set (a secret, not shown), but " + keyProblem.get(),
                    "put it in Secret " + SECRET + ", key pagerduty-routing-key (env " + env + ")"));
            return;
        }
        Optional<String> host = host(pd.url());
        if (host.isEmpty()) {
            checks.add(Check.fail(check, "guardian.notify.pagerduty.url is not an absolute http(s) URL",
                    "remove it to use the default, https://events.pagerduty.com/v2/enqueue"));
            return;
        }
        if (!milestones(check, "PagerDuty", "guardian.notify.pagerduty.milestones", pd.milestones())) {
            return;
        }
        List<String> triggers = known(pd.milestones());
        for (String milestone : new TreeSet<>(pd.severity().keySet())) {
            if (Milestone.byConfigName(milestone).isPresent() && triggers.stream().noneMatch(
                    t -> t.equalsIgnoreCase(milestone.strip()))) {
                checks.add(Check.warn(check, "guardian.notify.pagerduty.severity." + milestone + " is set, but "
                        + milestone + " is not among the milestones PagerDuty is sent (" + String.join(", ", triggers)
                        + ")", "add " + milestone + " to guardian.notify.pagerduty.milestones, or remove its"
                                + " severity"));
            }
        }
        checks.add(Check.ok(check, "on: routing key set (a secret, not shown), endpoint " + host.get()
                + "; triggers on " + String.join(", ", triggers) + ", resolves when the target is healthy again"));
    }

    private void webhook() {
        String check = "notify/webhook";
        String env = "GUARDIAN_NOTIFY_WEBHOOK_URL";
        GuardianConfig.Notify.Webhook webhook = notify.webhook();
        Optional<String> url = webhook.url();
        if (url.isEmpty()) {
            List<String> routing = new ArrayList<>(routing("guardian.notify.webhook.milestones"));
            if (webhook.hmacKey().isPresent()) {
                routing.add("guardian.notify.webhook.hmac-key");
            }
            off(check, "the webhook", "guardian.notify.webhook.url", env, "webhook-url", routing);
            return;
        }
        if (!secretUrl(check, "the webhook", "URL", url.get(), env, "webhook-url")) {
            return;
        }
        if (!milestones(check, "the webhook", "guardian.notify.webhook.milestones", webhook.milestones())) {
            return;
        }
        Optional<String> hmac = webhook.hmacKey();
        if (hmac.isPresent() && hmac.get().length() < 16) {
            checks.add(Check.fail(check, "guardian.notify.webhook.hmac-key is shorter than 16 characters (a secret,"
                    + " not shown)", "use a long random value from a Secret (e.g. openssl rand -hex 32), env"
                            + " GUARDIAN_NOTIFY_WEBHOOK_HMAC_KEY, or remove it to send unsigned"));
            return;
        }
        checks.add(Check.ok(check, "on: URL set (a secret, not shown), " + (hmac.isPresent()
                ? "signed (X-Guardian-Signature, HMAC-SHA256; key set, not shown)"
                : "unsigned (no guardian.notify.webhook.hmac-key)") + "; sends "
                + String.join(", ", known(webhook.milestones()))));
    }

    /** A channel whose URL or key is not set: OK, unless routing was written for it. */
    private void off(String check, String channel, String property, String env, String secretKey,
            List<String> routing) {
        if (routing.isEmpty()) {
            checks.add(Check.ok(check, "off: " + property + " (" + env + ") is not set"));
            return;
        }
        checks.add(Check.warn(check, "off (" + property + " is not set), but " + String.join(", ", routing)
                + (routing.size() == 1 ? " is" : " are") + " configured for it: nothing goes to " + channel,
                "set " + env + " from Secret " + SECRET + ", key " + secretKey + ", or remove "
                        + String.join(" and ", routing)));
    }

    /** The properties among {@code properties} that someone set. */
    private List<String> routing(String... properties) {
        return List.of(properties).stream().filter(explicitlySet).toList();
    }

    /** A secret URL is usable; FAILs (or WARNs for plain http) without showing it. */
    private boolean secretUrl(String check, String channel, String what, String value, String env, String secretKey) {
        Optional<String> problem = ConfigValidator.secretUrlProblem(value);
        if (problem.isPresent()) {
            checks.add(Check.fail(check, what + " set, but " + problem.get() + ": nothing can reach " + channel,
                    "put the absolute https URL in Secret " + SECRET + ", key " + secretKey + " (env " + env + ")"));
            return false;
        }
        if (value.strip().toLowerCase(Locale.ROOT).startsWith("http:")) {
            checks.add(Check.warn(check, what + " set (a secret, not shown), but it is plain http: the secret"
                    + " travels unencrypted", "use the https URL (Secret " + SECRET + ", key " + secretKey + ")"));
        }
        return true;
    }

    /** A channel that is on takes at least one milestone. */
    private boolean milestones(String check, String channel, String property, List<String> names) {
        if (known(names).isEmpty()) {
            checks.add(Check.warn(check, "on, but " + property + " names no known milestone: nothing is sent to "
                    + channel, "list milestones in " + property + " (any of " + Milestone.names()
                            + "), or turn the channel off"));
            return false;
        }
        return true;
    }

    /** The milestones in {@code names} that exist (unknown names are configuration FAILs of their own). */
    private static List<String> known(List<String> names) {
        return names.stream().map(String::strip).filter(n -> Milestone.byConfigName(n).isPresent()).toList();
    }

    /** The host of a URL that is not a secret; empty when it is not an absolute http(s) URL. */
    private static Optional<String> host(String url) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(uri.getHost());
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
