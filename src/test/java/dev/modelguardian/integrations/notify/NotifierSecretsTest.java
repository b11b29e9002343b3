package dev.modelguardian.integrations.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.modelguardian.integrations.notify.NotifyTesting.AWAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.integrations.kubernetes.CapturedLog;
import dev.modelguardian.testing.TestConfigs;

/**
 * Failing and succeeding deliveries with recognisable secrets on every channel: none of them appears in any log line
 * (every level, every logger below dev.modelguardian, and the root at its production level) or exception message.
 */
class NotifierSecretsTest {

    static final String SLACK_PATH_SECRET = "SLACKPATHSECRET7f3a";
    static final String WEBHOOK_PATH_SECRET = "WEBHOOKPATHSECRET91c";
    static final String WEBHOOK_QUERY_SECRET = "WEBHOOKQUERYSECRET5d2";
    static final String HMAC_SECRET = "HMACSECRETKEY0123456789abcdef";
    static final String ROUTING_SECRET = "PDROUTINGSECRET0123456789ABCDEF0";
    static final List<String> SECRETS = List.of(SLACK_PATH_SECRET, WEBHOOK_PATH_SECRET, WEBHOOK_QUERY_SECRET,
            HMAC_SECRET, ROUTING_SECRET);

    WireMockServer server;
    Notifier notifier;
    SimpleMeterRegistry registry = NotifyTesting.registry();
    Level previous;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        previous = Logger.getLogger("dev.modelguardian").getLevel();
        Logger.getLogger("dev.modelguardian").setLevel(Level.ALL);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("dev.modelguardian").setLevel(previous);
        if (notifier != null) {
            notifier.close();
        }
        server.stop();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertNoSecret(List<String> texts) {
        for (String secret : SECRETS) {
            assertThat(texts).as("captured text").noneMatch(t -> t.contains(secret));
        }
    }

    @Test
    void givenFailingAndSucceedingDeliveries_whenLogged_thenNoSecretAppears() throws Exception {
        // Slack fails for good (500 until the last try), PagerDuty rejects (400), the webhook accepts; a second
        // Slack-like failure comes from a closed port (a connection error with the JDK's own message).
        server.stubFor(post(urlPathMatching("/services/.*")).willReturn(aResponse().withStatus(500)));
        server.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(400).withBody("{\"status\":\"invalid"
                + " event\",\"errors\":[\"routing_key " + ROUTING_SECRET + " unknown\"]}")));
        server.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(ok()));
        String channels = """
                max-attempts: 2
                slack:
                  webhook-url: %s/services/T000/B000/%s
                pagerduty:
                  routing-key: %s
                  url: %s/v2/enqueue
                webhook:
                  url: %s/hooks/%s?token=%s
                  hmac-key: %s
                """.formatted(server.baseUrl(), SLACK_PATH_SECRET, ROUTING_SECRET, server.baseUrl(), server.baseUrl(),
                WEBHOOK_PATH_SECRET, WEBHOOK_QUERY_SECRET, HMAC_SECRET);
        List<String> problems = new ArrayList<>();
        try (CapturedLog ours = CapturedLog.of("dev.modelguardian"); CapturedLog root = CapturedLog.of("")) {
            notifier = NotifyTesting.notifier(channels, registry, NotifyTesting.clock());
            NotifyTesting.tell(notifier, new Story().failedTraining());
            await().atMost(AWAIT).until(() -> NotifyTesting.count(registry, "slack", "failed") == 4
                    && NotifyTesting.count(registry, "pagerduty", "failed") == 2
                    && NotifyTesting.count(registry, "webhook", "sent") == 4);
            notifier.close();

            Notifier refused = NotifyTesting.notifier("max-attempts: 2\nslack:\n  webhook-url: http://127.0.0.1:"
                    + closedPort() + "/services/T000/B000/" + SLACK_PATH_SECRET, registry, NotifyTesting.clock());
            refused.stepped(new Story().firing());
            await().atMost(AWAIT).until(() -> NotifyTesting.count(registry, "slack", "failed") == 5);
            refused.close();

            // Invalid values: the validator's messages, which commands print.
            Settings bad = TestConfigs.settings("""
                    guardian:
                      notify:
                        slack:
                          webhook-url: hooks.slack.com/services/%s
                        pagerduty:
                          routing-key: %sXYZ
                        webhook:
                          url: 'ftp://x/%s?token=%s'
                          hmac-key: short
                    """.formatted(SLACK_PATH_SECRET, ROUTING_SECRET, WEBHOOK_PATH_SECRET, WEBHOOK_QUERY_SECRET));
            Extensions.validate(bad, ModelSet.resolve(bad)).stream().map(ConfigProblem::toString)
                    .forEach(problems::add);

            assertThat(ours.all()).as("something was logged at all").isNotEmpty();
            assertThat(ours.warnings()).anyMatch(w -> w.contains("slack (localhost/…)") && w.contains("HTTP 500"))
                    .anyMatch(w -> w.contains("pagerduty (localhost/…)") && w.contains("HTTP 400"))
                    .anyMatch(w -> w.contains("slack (127.0.0.1/…)") && w.contains("ConnectException"));
            assertNoSecret(ours.all());
            assertNoSecret(root.all());
        }
        assertThat(problems).hasSize(4);
        assertNoSecret(problems);
    }

    @Test
    void givenChannelsOn_whenDescribed_thenOnlyTheHost() {
        Settings config = NotifyTesting.settings("""
                slack:
                  webhook-url: https://hooks.slack.com/services/T000/B000/%s
                webhook:
                  url: https://hooks.example.com/%s?token=%s
                """.formatted(SLACK_PATH_SECRET, WEBHOOK_PATH_SECRET, WEBHOOK_QUERY_SECRET));

        assertThat(Extensions.channels(config, "neural-hive")).extracting(Channel::describe)
                .containsExactly("slack (hooks.slack.com/…)", "webhook (hooks.example.com/…)");
    }
}
