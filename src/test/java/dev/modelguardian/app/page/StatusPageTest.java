package dev.modelguardian.app.page;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.app.wiring.ServeLoop;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth.FiredSignal;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.Leadership;
import dev.modelguardian.testing.HeadlessChromium;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.RecordedHistory;
import dev.modelguardian.testing.TestConfigs;

/**
 * The status page served by {@code serve}, in a real headless Chromium, against a real Prometheus holding the recorded
 * drift incident (the replay's, backfilled) and the mock API server's state ConfigMap: the incident's charts with the
 * remediation's markers, the history with its log tail and post-mortem, an approval sent with the typed token (a
 * wrong one refused), and the banner when Prometheus stops answering. The page must load without one console error:
 * a Content-Security-Policy violation is one.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = StatusPageTest.IncidentPrometheus.class, restrictToAnnotatedClass = true)
@TestProfile(StatusPageTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageTest {

    static final String TOKEN = "9b2e6f1c4d8a0e3b7c5f2a9d1e6b4c80";
    /** The recorded incident: feature-psi fires at +1:04 of 2026-02-14T00:00:00Z. */
    static final Instant FIRED = Instant.parse("2026-02-14T01:04:00Z");
    static final Instant STARTED = FIRED.plusSeconds(60);
    static final Instant ENDED = STARTED.plusSeconds(1800);

    /** A real Prometheus with the recorded incident, as the bundled Neural Hive policies query it. */
    public static class IncidentPrometheus implements QuarkusTestResourceLifecycleManager {
        static PrometheusServer prometheus;

        @Override
        public Map<String, String> start() {
            prometheus = PrometheusServer.withHistory(RecordedHistory.openMetrics(RecordedHistory.drift(),
                    Policies.from(ModelSet.resolve(TestConfigs.settings(""))), Duration.ofMinutes(1)));
            return Map.of("guardian.prometheus.url", prometheus.url());
        }

        @Override
        public void stop() {
            if (prometheus != null) {
                prometheus.close();
            }
        }
    }

    /** Neural Hive's bundled policies on the recorded Prometheus, and an API token. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("guardian.namespace", NAMESPACE);
            config.put("guardian.api.token", TOKEN);
            return config;
        }
    }

    static HeadlessChromium chromium;

    @Inject
    KubernetesClient client;

    @Inject
    ConfigMapStateStore store;

    @Inject
    ServeLoop loop;

    @Inject
    Leadership leadership;

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        if (chromium == null) {
            chromium = new HeadlessChromium();
            // This replica leads, as the one sidecar does: its page is the current one.
            leadership.start();
        }
        await("this replica leads").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(leadership::isLeader);
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** The incident remediation, finished, with its timeline and its training's last lines. */
    static HistoryEntry incident() {
        FiredSignal psi = new FiredSignal("ticket-duration-predictor", "feature-psi", 0.262, "> 0.25");
        return new HistoryEntry("r" + STARTED.getEpochSecond(), Optional.of("ml-retrain-emergency-"
                + STARTED.getEpochSecond()), STARTED, ENDED, HistoryEntry.Outcome.PROMOTED,
                "verified: every signal within bounds for 5m", List.of(psi)).withTimeline(new Timeline(List.of(
                        new Timeline.Mark(RemediationState.FIRING, FIRED),
                        new Timeline.Mark(RemediationState.RETRAINING, STARTED),
                        new Timeline.Mark(RemediationState.VALIDATING, ENDED.minusSeconds(600)),
                        new Timeline.Mark(RemediationState.PROMOTING, ENDED.minusSeconds(540)),
                        new Timeline.Mark(RemediationState.VERIFYING, ENDED.minusSeconds(300)),
                        new Timeline.Mark(RemediationState.HEALTHY, ENDED)),
                        Optional.of(new Timeline.Approval(Timeline.AUTO, STARTED))))
                .withTrainingLog(Optional.of(LogTail.of("pod ml-retrain-emergency-1-x7k2p, container trainer",
                        List.of("epoch 12/12 loss=0.031", "saved model ticket-duration-predictor"), false)));
    }

    /** The target after the incident, now parked for approval of a new remediation. */
    void seedAwaitingApproval() {
        Instant fired = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        List<FiredSignal> mae = List.of(new FiredSignal("ticket-duration-predictor", "mae-ratio", 1.72, "> 1.5"));
        TargetState awaiting = new TargetState(RemediationState.AWAITING_APPROVAL, fired, Optional.empty(),
                Optional.empty(), false, mae, false, List.of(STARTED), Optional.of(ENDED));
        TargetRecord parked = new TargetRecord(3, awaiting, "approval required before retraining", Progress.EMPTY,
                Map.of(), List.of(incident()), new Timeline(List.of(new Timeline.Mark(RemediationState.FIRING, fired),
                        new Timeline.Mark(RemediationState.AWAITING_APPROVAL, fired)), Optional.empty()),
                Optional.empty());
        assertThat(store.compareAndSet(CRON_JOB, 0, parked)).isTrue();
    }

    private URI page(String path) {
        return URI.create(root.toString()).resolve(path);
    }

    @Test
    @Order(1)
    void givenTheOverview_whenFetched_thenItIsServerRenderedUnderAStrictPolicyWithNothingInline() {
        seedAwaitingApproval();

        String html = given().when().get("/").then().statusCode(200)
                .header("Content-Security-Policy", equalTo(StatusPage.CSP))
                .header("X-Content-Type-Options", "nosniff")
                .contentType(containsString("text/html"))
                .extract().asString();

        assertThat(html).contains("<a href=\"/targets/" + CRON_JOB + "\">" + CRON_JOB + "</a>")
                .contains("<span class=\"badge state-awaiting-approval\">awaiting-approval</span>")
                .contains("<script src=\"/ui/page.js\" defer=\"defer\"></script>")
                .doesNotContainPattern("<script>|<script [^>]*>[^<]")
                .doesNotContainPattern("\\sstyle=|\\son[a-z]+=|<style");
        given().when().get("/ui/page.js").then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("Authorization"));
        given().when().get("/ui/page.css").then().statusCode(200).contentType(containsString("text/css"));
        loop.cycle();
        assertThat(chromium.load(page("/"))).as("console errors (a CSP violation is one)").isEmpty();
        assertThat(chromium.evaluate("document.querySelectorAll('table.signals tr').length").asInt())
                .as("a row per signal of the bundled policies after a cycle").isGreaterThan(3);
        assertThat(chromium.evaluate("document.querySelectorAll('.banner:not([hidden])').length").asInt())
                .as("a leader with a fresh cycle: no banner").isZero();
        screenshot("status-page.png");
    }

    @Test
    @Order(2)
    void givenBadAddresses_whenFetched_thenEachAnswerSaysWhatIsWrongAndTheFix() {
        given().when().get("/targets/orchestrator-ml-training").then().statusCode(404)
                .body(containsString("No target orchestrator-ml-training; the targets are [" + CRON_JOB + "]"));
        given().when().get("/targets/" + CRON_JOB + "?window=2h").then().statusCode(400)
                .body(containsString("window=2h is not a chart window; use one of 1h, 6h, 24h, 7d."));
        given().when().get("/targets/" + CRON_JOB + "?until=yesterday").then().statusCode(400)
                .body(containsString("until=yesterday is not an instant; use ISO-8601 UTC"));
        given().when().get("/targets/" + CRON_JOB + "?until=-1000000000-01-01T00:00:00Z").then().statusCode(400)
                .body(containsString("is out of range; use an instant between 1970 and tomorrow"));
        given().when().get("/targets/" + CRON_JOB + "/remediations/r1/postmortem").then().statusCode(404)
                .body(containsString("keeps no finished remediation r1"));
    }

    @Test
    @Order(3)
    void givenTheRecordedIncident_whenItsWindowIsOpenedInChromium_thenChartsMarkersHistoryAndPostmortemShow() {
        seedAwaitingApproval();

        List<String> errors = chromium.load(page("/targets/" + CRON_JOB + "?window=6h&until=2026-02-14T03:00:00Z"));

        assertThat(errors).as("console errors (a CSP violation is one)").isEmpty();
        assertThat(chromium.evaluate("Array.from(document.querySelectorAll('section.signal')).filter(s =>"
                + " s.querySelector('svg.chart')).map(s => s.dataset.signal).join(',')").asText())
                .as("a chart per signal of the target's models with a value in the recording (mae-ratio has none)")
                .isEqualTo("ticket-anomaly-detector/precision,ticket-duration-predictor/feature-psi,"
                        + "ticket-duration-predictor/mae-percentage");
        assertThat(chromium.evaluate("document.querySelector('section.signal[data-signal="
                + "\"ticket-duration-predictor/feature-psi\"] svg').getAttribute('aria-label')").asText())
                .isEqualTo("ticket-duration-predictor/feature-psi over time");
        assertThat(chromium.evaluate("Array.from(document.querySelectorAll('section.signal[data-signal="
                + "\"ticket-duration-predictor/feature-psi\"] .marker title')).map(t => t.textContent).join('|')")
                .asText()).contains(CRON_JOB + " entered FIRING", CRON_JOB + " entered RETRAINING",
                        CRON_JOB + " entered PROMOTING", CRON_JOB + " entered HEALTHY");
        String history = chromium.evaluate("document.querySelector('article.remediation').innerText").asText();
        assertThat(history).contains("r" + STARTED.getEpochSecond(), "promoted", "took 30m",
                "Job running 20m, validation 1m, promotion 4m, verification 5m",
                "ticket-duration-predictor/feature-psi 0.262 (> 0.25)", "epoch 12/12 loss=0.031",
                "post-mortem draft");
        assertThat(chromium.evaluate("document.querySelector('section.actions').getAttribute('data-enabled')")
                .asText()).as("a past window sends no action").isEqualTo("false");
        assertThat(chromium.evaluate("document.body.dataset.refresh").asText()).as("nor refreshes").isEqualTo("0");
        screenshot("status-page-incident.png");

        String postmortem = chromium.evaluate("document.querySelector('article.remediation a[href$=\"/postmortem\"]')"
                + ".getAttribute('href')").asText();
        assertThat(chromium.load(page(postmortem))).isEmpty();
        assertThat(chromium.evaluate("document.querySelectorAll('svg.chart').length").asInt()).isEqualTo(3);
        assertThat(chromium.evaluate("document.body.innerText").asText())
                .contains("Post-mortem", "r" + STARTED.getEpochSecond());
    }

    @Test
    @Order(4)
    void givenARemediationAwaitingApproval_whenApprovedInThePageWithTheToken_thenItLeavesAwaitingApproval() {
        seedAwaitingApproval();
        assertThat(chromium.load(page("/targets/" + CRON_JOB))).isEmpty();
        assertThat(chromium.evaluate("document.querySelector('form[data-action=approve] button').disabled")
                .asBoolean()).as("enabled by the script: a remediation waits and a token is configured").isFalse();

        click("approve", "not-the-token");
        await("the refusal shown").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> result().contains("refused (HTTP 403, forbidden)"));
        assertThat(store.load().targets().get(CRON_JOB).current().state())
                .isEqualTo(RemediationState.AWAITING_APPROVAL);
        assertThat(chromium.evaluate("[document.body.innerHTML, location.href, document.cookie,"
                + " JSON.stringify(Object.assign({}, localStorage)), JSON.stringify(Object.assign({}, sessionStorage)),"
                + " String(document.getElementById('token').getAttribute('value'))].join('|')").asText())
                .as("the typed token only in the field: not in the markup, the URL, a cookie or storage")
                .doesNotContain("not-the-token");

        click("approve", TOKEN);
        await("the approval accepted").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> result().contains("target now RETRAINING"));
        assertThat(store.load().targets().get(CRON_JOB).current().state()).isEqualTo(RemediationState.RETRAINING);
        assertThat(store.load().targets().get(CRON_JOB).timeline().approvedBy()).contains("api-token");
        await("the page refreshed itself to the new state").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> chromium.evaluate("document.querySelector('h2.target .badge').textContent").asText()
                        .equals("retraining"));
        assertThat(chromium.evaluate("document.querySelector('section.current').innerText").asText())
                .as("the training Job the approval started").contains("run ml-retrain-emergency-");
        assertThat(chromium.evaluate("[document.body.innerHTML, location.href, document.cookie,"
                + " JSON.stringify(Object.assign({}, localStorage)), JSON.stringify(Object.assign({}, sessionStorage))]"
                + ".join('|')").asText()).doesNotContain(TOKEN);
        assertThat(chromium.evaluate("document.getElementById('token').value").asText())
                .as("kept in the field across the refresh").isEqualTo(TOKEN);
        assertThat(chromium.errors()).as("the refused request is the page's only error").singleElement()
                .asString().contains("403 (Forbidden)", "/approve");
    }

    @Test
    @Order(5)
    void givenPrometheusStops_whenThePageIsLoaded_thenTheSourceBannerSaysTheChartsAreMissing() {
        seedAwaitingApproval();
        IncidentPrometheus.prometheus.close();
        loop.cycle();

        assertThat(chromium.load(page("/targets/" + CRON_JOB + "?window=1h"))).isEmpty();

        String banners = chromium.evaluate("Array.from(document.querySelectorAll('.banner[data-banner=source]'))"
                + ".map(b => b.innerText).join('|')").asText();
        assertThat(banners).contains("The metric source did not answer, charts are missing")
                .contains("could not be read in the last cycle");
        assertThat(chromium.load(page("/"))).isEmpty();
        assertThat(chromium.evaluate("document.querySelector('.banner[data-banner=source]').innerText").asText())
                .contains("signals could not be read in the last cycle (inconclusive, never a trigger)");
    }

    /**
     * A PNG of the page in target/ (a test artifact; {@code ./dev screenshots} copies them into docs/ for the README).
     */
    private static void screenshot(String name) {
        Path png = Path.of("target", name);
        chromium.screenshot(png, 1100, 0);
        assertThat(png).isNotEmptyFile();
    }

    /** Types {@code token}, then submits the action twice: once to ask, once to confirm. */
    private void click(String action, String token) {
        chromium.evaluate("document.getElementById('token').value = '" + token + "'");
        chromium.evaluate("document.querySelector('form[data-action=" + action + "] button').click()");
        await("the confirmation asked").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> result().contains("Click again to confirm"));
        chromium.evaluate("document.querySelector('form[data-action=" + action + "] button').click()");
    }

    private String result() {
        return chromium.evaluate("document.querySelector('section.actions .result').textContent").asText();
    }
}
