package dev.modelguardian.integrations.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.modelguardian.integrations.notify.NotifyTesting.AWAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.modelguardian.integrations.http.Json;

/** The generic webhook: the documented v1 payload and a signature a receiver can verify with the shared key. */
class WebhookNotifierTest {

    static final String PATH = "/hooks/guardian";
    static final String KEY = "a-long-shared-hmac-key-0123456789";

    WireMockServer hook;
    Notifier notifier;

    @BeforeEach
    void start() {
        hook = new WireMockServer(options().dynamicPort());
        hook.start();
        hook.stubFor(post(PATH).willReturn(ok()));
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        hook.stop();
    }

    private LoggedRequest rolledBack(String channel) {
        notifier = NotifyTesting.notifier(channel, NotifyTesting.registry(), NotifyTesting.clock());
        NotifyTesting.tell(notifier, new Story().failedTraining());
        await().atMost(AWAIT).until(() -> hook.getAllServeEvents().size() == 4);
        return hook.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getBodyAsString().contains("\"milestone\":\"rolled-back\"")).findFirst().orElseThrow();
    }

    @Test
    void givenAKey_whenRolledBack_thenTheSignatureHeaderVerifiesWithTheSharedKey() throws Exception {
        LoggedRequest request = rolledBack("webhook:\n  url: " + hook.baseUrl() + PATH + "\n  hmac-key: " + KEY);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.getBody()));
        assertThat(request.getHeader("X-Guardian-Signature")).isEqualTo(expected);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void givenARollback_whenSent_thenTheV1PayloadWithEveryFact() throws Exception {
        LoggedRequest request = rolledBack("webhook:\n  url: " + hook.baseUrl() + PATH);

        assertThat(request.containsHeader("X-Guardian-Signature")).as("no key, no signature").isFalse();
        JsonNode payload = Json.MAPPER.readTree(request.getBodyAsString());
        assertThat(payload.get("schema").asText()).isEqualTo("model-guardian/notification/v1");
        assertThat(payload.get("milestone").asText()).isEqualTo("rolled-back");
        assertThat(payload.get("namespace").asText()).isEqualTo("neural-hive");
        assertThat(payload.get("target").asText()).isEqualTo("orchestrator-dynamic-ml-training");
        assertThat(payload.get("cronJob").asText()).isEqualTo("orchestrator-dynamic-ml-training");
        assertThat(payload.get("models").toString()).isEqualTo("[\"ticket-duration-predictor\",\"ticket-anomaly-detector\"]");
        assertThat(payload.get("from").asText()).isEqualTo("ROLLING_BACK");
        assertThat(payload.get("to").asText()).isEqualTo("ROLLED_BACK");
        assertThat(payload.get("remediationId").asText()).isEqualTo(Story.remediationId(Story.T0));
        assertThat(payload.get("job").asText()).isEqualTo(Story.job(Story.T0));
        assertThat(payload.at("/trigger/0/model").asText()).isEqualTo("ticket-duration-predictor");
        assertThat(payload.at("/trigger/0/signal").asText()).isEqualTo("mae-ratio");
        assertThat(payload.at("/trigger/0/value").asDouble()).isEqualTo(1.72);
        assertThat(payload.at("/trigger/0/bound").asText()).isEqualTo("> 1.5 (clear <= 1.3)");
        assertThat(payload.get("outcome").asText()).isEqualTo("rolled_back");
        assertThat(payload.get("tookSeconds").asLong()).isEqualTo(720);
        assertThat(payload.get("rollbackHint").asText()).isEqualTo(NotifyTesting.HINT);
        assertThat(payload.get("incidentKey").asText()).isEqualTo(PagerDutyNotifierTest.remediationKey());
        assertThat(payload.get("action").asText()).startsWith("rolled back");
        assertThat(payload.get("at").asText()).isEqualTo(Story.T0.toString());
    }

    @Test
    void givenARollback_whenSent_thenThePayloadCarriesThePostmortemDraftAndEarlierMilestonesDoNot() throws Exception {
        LoggedRequest request = rolledBack("webhook:\n  url: " + hook.baseUrl() + PATH);

        String draft = Json.MAPPER.readTree(request.getBodyAsString()).get("postmortem").asText();
        assertThat(draft).startsWith("# Post-mortem draft: orchestrator-dynamic-ml-training, remediation "
                + Story.remediationId(Story.T0) + "\n")
                .contains("Outcome: **rolled_back** after 12m from the first breach.")
                .contains("| PagerDuty dedup key | `" + PagerDutyNotifierTest.remediationKey() + "` |");
        assertThat(hook.getAllServeEvents()).map(e -> e.getRequest().getBodyAsString())
                .filteredOn(body -> !body.contains("\"milestone\":\"rolled-back\""))
                .hasSize(3).noneMatch(body -> body.contains("\"postmortem\""));
    }

    @Test
    void givenPostmortemOff_whenRolledBack_thenThePayloadHasNoDraft() throws Exception {
        LoggedRequest request = rolledBack("webhook:\n  url: " + hook.baseUrl() + PATH + "\n  postmortem: false");

        assertThat(Json.MAPPER.readTree(request.getBodyAsString()).has("postmortem")).isFalse();
    }
}
