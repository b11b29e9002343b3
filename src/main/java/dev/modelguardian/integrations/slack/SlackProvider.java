package dev.modelguardian.integrations.slack;

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
 * Slack, whole: {@code guardian.notify.slack.*} validated, its {@code doctor} check ({@code notify/slack}) and the
 * {@link SlackChannel} when the webhook URL is set. The webhook URL is a secret: nothing here shows any part of it.
 */
public final class SlackProvider implements ChannelProvider {

    private static final String PREFIX = "guardian.notify.slack";
    private static final String ENV = "GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL";

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(SlackSettings.class);
    }

    @Override
    public void validate(Settings settings, List<ConfigProblem> problems) {
        SlackSettings slack = settings.of(SlackSettings.class);
        slack.webhookUrl().ifPresent(url -> ChannelChecks.secretUrl(problems, PREFIX + ".webhook-url", url, ENV));
        ChannelChecks.milestones(problems, PREFIX + ".milestones", slack.milestones());
    }

    @Override
    public List<Check> doctor(Settings settings, DoctorContext context) {
        String check = "notify/slack";
        SlackSettings slack = settings.of(SlackSettings.class);
        List<Check> checks = new ArrayList<>();
        Optional<String> url = slack.webhookUrl();
        if (url.isEmpty()) {
            checks.add(ChannelChecks.off(check, "Slack", PREFIX + ".webhook-url", ENV, "slack-webhook-url",
                    ChannelChecks.routing(context.explicitlySet(), PREFIX + ".milestones")));
            return checks;
        }
        if (!ChannelChecks.secretUrl(checks, check, "Slack", "webhook URL", url.get(), ENV, "slack-webhook-url")) {
            return checks;
        }
        if (!ChannelChecks.takesMilestones(checks, check, "Slack", PREFIX + ".milestones", slack.milestones())) {
            return checks;
        }
        checks.add(Check.ok(check, "on: webhook URL set (a secret, not shown); sends "
                + String.join(", ", ChannelChecks.known(slack.milestones()))));
        return checks;
    }

    @Override
    public Optional<Channel> channel(Settings settings, String namespace) {
        SlackSettings slack = settings.of(SlackSettings.class);
        return slack.webhookUrl().filter(u -> !u.isBlank())
                .map(url -> new SlackChannel(url, ChannelChecks.milestoneSet(slack.milestones()),
                        slack.postmortemSummary()));
    }
}
