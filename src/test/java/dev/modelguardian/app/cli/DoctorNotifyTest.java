package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.ChannelProvider;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.core.check.Check.Status;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.testing.TestConfigs;

/** The notification checks of {@code doctor}, on configurations read the way Quarkus reads them. */
class DoctorNotifyTest {

    static final String SLACK = "https://hooks.slack.com/services/T0AAA1111/B0BBB2222/xoxbSlackSecretPart";
    static final String ROUTING_KEY = "R0ut1ngKeyR0ut1ngKeyR0ut1ngKey12";
    static final String WEBHOOK = "https://hooks.example.org/guardian?token=webhookSecretToken";
    static final String HMAC = "hmacSecretValue-0123456789abcdef";
    static final List<String> SECRETS = List.of(SLACK, "hooks.slack.com", "T0AAA1111", "xoxbSlackSecretPart",
            ROUTING_KEY, "R0ut1ngKey", WEBHOOK, "hooks.example.org", "webhookSecretToken", HMAC, "hmacSecretValue");

    private static List<Check> checks(String notifyYaml, Set<String> explicitlySet) {
        return Doctor.notifications(TestConfigs.settings("guardian:\n  notify:\n" + notifyYaml.indent(4)),
                new DoctorContext("neural-hive", explicitlySet::contains, Map.of()), Extensions.CHANNELS);
    }

    private static Check check(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.check().equals(name)).findFirst().orElseThrow();
    }

    private static String text(List<Check> checks) {
        StringBuilder all = new StringBuilder();
        checks.forEach(c -> all.append(c.check()).append(' ').append(c.detail()).append(' ').append(c.fix())
                .append('\n'));
        return all.toString();
    }

    @Test
    void givenNothingConfigured_whenChecked_thenEventsAreOnAndTheThreeChannelsOffWithTheirEnvironmentVariable() {
        List<Check> checks = checks("{}", Set.of());

        assertThat(checks).extracting(Check::status).containsOnly(Status.OK);
        assertThat(checks).extracting(Check::check)
                .containsExactly("notify/events", "notify/slack", "notify/pagerduty", "notify/webhook");
        assertThat(check(checks, "notify/events").detail()).contains("always on").contains("neural-hive");
        assertThat(check(checks, "notify/slack").detail())
                .isEqualTo("off: guardian.notify.slack.webhook-url (GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL) is not set");
        assertThat(check(checks, "notify/pagerduty").detail()).contains("GUARDIAN_NOTIFY_PAGERDUTY_ROUTING_KEY");
        assertThat(check(checks, "notify/webhook").detail()).contains("GUARDIAN_NOTIFY_WEBHOOK_URL");
    }

    @Test
    void givenEveryChannelOn_whenChecked_thenEachSaysOnAndWhatItSendsAndNoSecretAppears() {
        List<Check> checks = checks("""
                slack:
                  webhook-url: %s
                pagerduty:
                  routing-key: %s
                webhook:
                  url: %s
                  hmac-key: %s
                """.formatted(SLACK, ROUTING_KEY, WEBHOOK, HMAC), Set.of());

        assertThat(checks).extracting(Check::status).containsOnly(Status.OK);
        assertThat(check(checks, "notify/slack").detail())
                .startsWith("on: webhook URL set (a secret, not shown); sends firing, retraining-started");
        assertThat(check(checks, "notify/pagerduty").detail()).isEqualTo("on: routing key set (a secret, not shown),"
                + " endpoint events.pagerduty.com; triggers on failed, rolled-back, rollback-failed, inconclusive-too-long, resolves"
                + " when the target is healthy again");
        assertThat(check(checks, "notify/webhook").detail()).startsWith("on: URL set (a secret, not shown), signed");
        String all = text(checks);
        SECRETS.forEach(secret -> assertThat(all).doesNotContain(secret));
    }

    @Test
    void givenRoutingWrittenForChannelsThatAreOff_whenChecked_thenEachIsAWarnNamingWhatToSetOrRemove() {
        List<Check> checks = checks("""
                slack:
                  milestones: [rolled-back]
                pagerduty:
                  severity:
                    failed: critical
                webhook:
                  hmac-key: %s
                """.formatted(HMAC), Set.of("guardian.notify.slack.milestones"));

        Check slack = check(checks, "notify/slack");
        assertThat(slack.status()).isEqualTo(Status.WARN);
        assertThat(slack.detail()).isEqualTo("off (guardian.notify.slack.webhook-url is not set), but"
                + " guardian.notify.slack.milestones is configured for it: nothing goes to Slack");
        assertThat(slack.fix()).isEqualTo("set GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL from Secret model-guardian-secrets,"
                + " key slack-webhook-url, or remove guardian.notify.slack.milestones");
        Check pagerDuty = check(checks, "notify/pagerduty");
        assertThat(pagerDuty.status()).isEqualTo(Status.WARN);
        assertThat(pagerDuty.detail()).contains("guardian.notify.pagerduty.severity is configured for it");
        Check webhook = check(checks, "notify/webhook");
        assertThat(webhook.status()).isEqualTo(Status.WARN);
        assertThat(webhook.detail()).contains("guardian.notify.webhook.hmac-key is configured for it");
        assertThat(text(checks)).doesNotContain(HMAC);
    }

    @Test
    void givenMalformedSecrets_whenChecked_thenFailsSayWhatIsWrongWithoutShowingThem() {
        List<Check> checks = checks("""
                slack:
                  webhook-url: "hooks.slack.com/services/T0AAA1111/xoxbSlackSecretPart"
                pagerduty:
                  routing-key: R0ut1ngKey-too-short
                webhook:
                  url: "http://hooks.example.org/guardian?token=webhookSecretToken"
                """, Set.of());

        Check slack = check(checks, "notify/slack");
        assertThat(slack.status()).isEqualTo(Status.FAIL);
        assertThat(slack.detail()).isEqualTo("webhook URL set, but not an http(s) URL (the value is a secret and not"
                + " shown): nothing can reach Slack");
        assertThat(slack.fix()).contains("Secret model-guardian-secrets, key slack-webhook-url");
        Check pagerDuty = check(checks, "notify/pagerduty");
        assertThat(pagerDuty.status()).isEqualTo(Status.FAIL);
        assertThat(pagerDuty.detail()).contains("not an Events API v2 routing key (20 characters;");
        // Plain http works, but carries the secret in clear.
        assertThat(checks).filteredOn(c -> c.check().equals("notify/webhook")).extracting(Check::status)
                .containsExactly(Status.WARN, Status.OK);
        assertThat(check(checks, "notify/webhook").detail()).contains("plain http");
        String all = text(checks);
        SECRETS.forEach(secret -> assertThat(all).doesNotContain(secret));
    }

    @Test
    void givenSeverityForAMilestonePagerDutyIsNotSent_whenChecked_thenWarnNamesTheMilestone() {
        List<Check> checks = checks("""
                pagerduty:
                  routing-key: %s
                  milestones: [rolled-back]
                  severity:
                    failed: critical
                """.formatted(ROUTING_KEY), Set.of());

        assertThat(checks).filteredOn(c -> c.status() == Status.WARN).singleElement().satisfies(c -> {
            assertThat(c.detail()).isEqualTo("guardian.notify.pagerduty.severity.failed is set, but failed is not"
                    + " among the milestones PagerDuty is sent (rolled-back)");
            assertThat(c.fix()).isEqualTo("add failed to guardian.notify.pagerduty.milestones, or remove its severity");
        });
    }

    @Test
    void givenAChannelOnWithNoKnownMilestone_whenChecked_thenWarnThatNothingIsSent() {
        List<Check> checks = checks("""
                slack:
                  webhook-url: %s
                  milestones: [rollback]
                """.formatted(SLACK), Set.of());

        Check slack = check(checks, "notify/slack");
        assertThat(slack.status()).isEqualTo(Status.WARN);
        assertThat(slack.detail()).isEqualTo("on, but guardian.notify.slack.milestones names no known milestone:"
                + " nothing is sent to Slack");
    }

    @Test
    void givenAChannelProviderContributed_whenChecked_thenItsChecksFollowTheEventsInRegistrationOrder() {
        ChannelProvider pigeon = new ChannelProvider() {
            @Override
            public String name() {
                return "pigeon";
            }

            @Override
            public void validate(Settings settings, List<ConfigProblem> problems) {
            }

            @Override
            public List<Check> doctor(Settings settings, DoctorContext context) {
                return List.of(Check.warn("notify/pigeon", "no loft in " + context.namespace(), "name the loft"));
            }

            @Override
            public Optional<Channel> channel(Settings settings, String namespace) {
                return Optional.empty();
            }
        };
        List<ChannelProvider> channels = new ArrayList<>(Extensions.CHANNELS);
        channels.add(1, pigeon);

        List<Check> checks = Doctor.notifications(TestConfigs.settings(""), new DoctorContext("neural-hive",
                p -> false, Map.of()), channels);

        assertThat(checks).extracting(Check::check).containsExactly("notify/events", "notify/slack", "notify/pigeon",
                "notify/pagerduty", "notify/webhook");
        assertThat(check(checks, "notify/pigeon").detail()).isEqualTo("no loft in neural-hive");
    }
}
