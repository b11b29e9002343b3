package dev.modelguardian.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.integrations.pagerduty.PagerDutySettings;
import dev.modelguardian.integrations.slack.SlackSettings;
import dev.modelguardian.integrations.webhook.WebhookSettings;
import dev.modelguardian.testing.TestConfigs;

/** The {@code guardian.notify.*} rules of {@link ConfigValidator}; no message ever repeats a URL or a key. */
class NotifyConfigValidationTest {

    static final String SLACK_SECRET = "T000SECRET/B000SECRET/slackSecretPath42";
    static final String ROUTING_KEY = "R0UT1NGK3YSECRET0123456789abcdef";

    private static List<ConfigProblem> validate(String notifyBody) {
        Settings settings = TestConfigs.settings("guardian:\n  notify:\n" + notifyBody.indent(4));
        return Extensions.validate(settings, ModelSet.resolve(settings)).stream()
                .filter(p -> p.property().startsWith("guardian.notify")).toList();
    }

    private static ConfigProblem single(String notifyBody) {
        List<ConfigProblem> problems = validate(notifyBody);
        assertThat(problems).as("problems of%n%s", notifyBody).hasSize(1);
        return problems.getFirst();
    }

    @Test
    void givenNothingConfigured_whenValidated_thenNoProblemAndEveryChannelOff() {
        Settings settings = TestConfigs.settings("");

        assertThat(validate("inconclusive-after: 2h")).isEmpty();
        assertThat(settings.of(SlackSettings.class).webhookUrl()).isEmpty();
        assertThat(settings.of(PagerDutySettings.class).routingKey()).isEmpty();
        assertThat(settings.of(PagerDutySettings.class).url()).isEqualTo("https://events.pagerduty.com/v2/enqueue");
        assertThat(settings.of(WebhookSettings.class).url()).isEmpty();
    }

    @Test
    void givenValidChannels_whenValidated_thenNoProblem() {
        assertThat(validate("""
                slack:
                  webhook-url: https://hooks.slack.com/services/%s
                  milestones: [rolled-back, failed]
                pagerduty:
                  routing-key: %s
                  severity:
                    rolled-back: critical
                    inconclusive-too-long: info
                webhook:
                  url: https://hooks.example.com/guardian?token=abc
                  hmac-key: 0123456789abcdef0123
                """.formatted(SLACK_SECRET, ROUTING_KEY))).isEmpty();
    }

    @Test
    void givenSlackUrlWithoutScheme_whenValidated_thenProblemWithoutTheSecret() {
        ConfigProblem problem = single("slack:\n  webhook-url: hooks.slack.com/services/" + SLACK_SECRET);

        assertThat(problem.property()).isEqualTo("guardian.notify.slack.webhook-url");
        assertThat(problem.message()).contains("not an http(s) URL").contains("GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL")
                .doesNotContain("slackSecretPath42").doesNotContain("hooks.slack.com");
    }

    @Test
    void givenWebhookUrlThatIsNotAUrl_whenValidated_thenProblemWithoutTheSecret() {
        ConfigProblem problem = single("webhook:\n  url: 'https://exa mple.com/secretWebhookPath'");

        assertThat(problem.property()).isEqualTo("guardian.notify.webhook.url");
        assertThat(problem.message()).doesNotContain("secretWebhookPath");
    }

    @Test
    void givenRoutingKeyOfTheWrongLength_whenValidated_thenProblemSaysTheLengthNotTheKey() {
        ConfigProblem problem = single("pagerduty:\n  routing-key: " + ROUTING_KEY + "xyz");

        assertThat(problem.property()).isEqualTo("guardian.notify.pagerduty.routing-key");
        assertThat(problem.message()).contains("35 characters").contains("expected 32").doesNotContain(ROUTING_KEY);
    }

    @Test
    void givenUnknownMilestone_whenValidated_thenProblemListsTheKnownOnes() {
        ConfigProblem problem = single("slack:\n  milestones: [rolled-back, rollback]");

        assertThat(problem.property()).isEqualTo("guardian.notify.slack.milestones");
        assertThat(problem.message()).contains("unknown milestone 'rollback'").contains("rolled-back")
                .contains("inconclusive-too-long");
    }

    @Test
    void givenUnknownSeverity_whenValidated_thenProblemOnThatMilestone() {
        ConfigProblem problem = single("pagerduty:\n  severity:\n    rolled-back: high");

        assertThat(problem.property()).isEqualTo("guardian.notify.pagerduty.severity.rolled-back");
        assertThat(problem.message()).contains("unknown severity 'high'").contains("critical, error, warning or info");
    }

    @Test
    void givenShortHmacKey_whenValidated_thenProblemWithoutTheKey() {
        ConfigProblem problem = single("webhook:\n  url: https://hooks.example.com/x\n  hmac-key: shortKey99");

        assertThat(problem.property()).isEqualTo("guardian.notify.webhook.hmac-key");
        assertThat(problem.message()).contains("shorter than 16").doesNotContain("shortKey99");
    }

    @Test
    void givenBadDurationsAndCounts_whenValidated_thenOneProblemEach() {
        List<ConfigProblem> problems = validate("""
                inconclusive-after: 0s
                initial-backoff: 10s
                max-backoff: 1s
                queue-size: 0
                max-attempts: 0
                """);

        assertThat(problems).extracting(ConfigProblem::property).containsExactlyInAnyOrder(
                "guardian.notify.inconclusive-after", "guardian.notify.max-backoff", "guardian.notify.queue-size",
                "guardian.notify.max-attempts");
    }
}
