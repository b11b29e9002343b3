package dev.modelguardian.app.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;

/** The status page's HTML from plain values: escaping, freshness banners, which actions are offered and why not. */
class StatusPageHtmlTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    static final TargetSpec TARGET = new TargetSpec("orchestrator-dynamic-ml-training",
            "orchestrator-dynamic-ml-training", List.of("ticket-duration-predictor"));

    static StatusPageHtml.Context context(Optional<Instant> lastCycle, boolean token) {
        return new StatusPageHtml.Context("neural-hive", NOW, "guardian-0", true, Optional.of("guardian-0"),
                new StatusPageHtml.Freshness(lastCycle, Duration.ofMinutes(1), Optional.empty(), List.of()), token);
    }

    static TargetRecord in(RemediationState state, List<HistoryEntry> history) {
        TargetState s = TargetState.healthy(NOW.minusSeconds(3600)).moveTo(state, NOW.minusSeconds(300));
        return new TargetRecord(4, s, "why it is there", Progress.EMPTY, Map.of(), history, Timeline.EMPTY,
                Optional.empty());
    }

    static HistoryEntry ended(String id, HistoryEntry.Outcome outcome, Instant at) {
        return new HistoryEntry(id, Optional.of("ml-retrain-emergency-" + id), at.minusSeconds(1200), at, outcome,
                "ended " + outcome.tag(), List.of());
    }

    static String target(StatusPageHtml.Context context, TargetRecord record, boolean live) {
        return StatusPageHtml.target(context, new StatusPageHtml.Row(TARGET, record), List.of(),
                ChartWindow.DEFAULT, NOW, live, List.of());
    }

    static Document xml(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void givenATargetWhoseReasonHoldsMarkup_whenRendered_thenItIsEscapedAndThePageIsWellFormed() throws Exception {
        TargetState s = TargetState.healthy(NOW);
        TargetRecord record = new TargetRecord(1, s, "<script>alert('x')</script> & more", Progress.EMPTY, Map.of(),
                List.of(), Timeline.EMPTY, Optional.empty());

        String overview = StatusPageHtml.overview(context(Optional.of(NOW), true),
                List.of(new StatusPageHtml.Row(TARGET, record)), List.of());
        String page = target(context(Optional.of(NOW), true), record, true);

        assertThat(overview).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more")
                .doesNotContain("<script>alert");
        assertThat(xml(overview).getElementsByTagName("main").getLength()).isEqualTo(1);
        assertThat(xml(page).getElementsByTagName("form").getLength()).isEqualTo(4);
    }

    @Test
    void givenNoCycleYet_whenRendered_thenTheStaleBannerSaysSo() {
        assertThat(StatusPageHtml.overview(context(Optional.empty(), true), List.of(), List.of()))
                .contains("data-banner=\"stale\">The data is stale: no cycle has run yet, cycles run every 1m.");
    }

    @Test
    void givenALastCycleOlderThanThreeIntervals_whenRendered_thenStale_andARecentOne_thenNot() {
        assertThat(StatusPageHtml.overview(context(Optional.of(NOW.minusSeconds(181)), true), List.of(), List.of()))
                .contains("The data is stale: the last cycle ran 3m1s ago");
        assertThat(StatusPageHtml.overview(context(Optional.of(NOW.minusSeconds(179)), true), List.of(), List.of()))
                .doesNotContain("data-banner=\"stale\"");
    }

    @Test
    void givenAReplicaThatDoesNotLead_whenRendered_thenItPointsAtTheLeaderInsteadOfCallingItsDataStale() {
        StatusPageHtml.Context follower = new StatusPageHtml.Context("neural-hive", NOW, "guardian-1", false,
                Optional.of("guardian-0"), new StatusPageHtml.Freshness(Optional.empty(), Duration.ofMinutes(1),
                        Optional.empty(), List.of()), true);

        assertThat(StatusPageHtml.overview(follower, List.of(), List.of()))
                .contains("data-banner=\"follower\">This replica does not lead, so it does not evaluate the signals;"
                        + " the leader guardian-0 does: its page is current (kubectl port-forward pod/guardian-0 8686).")
                .doesNotContain("data-banner=\"stale\"");
    }

    @Test
    void givenAPageOfThePast_whenRendered_thenItDoesNotAskToBeRefreshed() {
        String past = StatusPageHtml.target(context(Optional.of(NOW), true), new StatusPageHtml.Row(TARGET,
                in(RemediationState.HEALTHY, List.of())), List.of(), ChartWindow.ONE_DAY,
                Instant.parse("2026-02-14T03:00:00Z"), false, List.of());

        assertThat(past).contains("<body data-refresh=\"0\">");
        assertThat(target(context(Optional.of(NOW), true), in(RemediationState.HEALTHY, List.of()), true))
                .contains("<body data-refresh=\"5\">");
    }

    @Test
    void givenDurations_whenSaidAsAgo_thenAsPreciseAsUseful() {
        assertThat(StatusPageHtml.ago(NOW.minusSeconds(42), NOW)).isEqualTo("42s ago");
        assertThat(StatusPageHtml.ago(NOW.minusSeconds(5 * 3600 + 20 * 60 + 7), NOW)).isEqualTo("5h20m ago");
        assertThat(StatusPageHtml.ago(NOW.minus(Duration.ofHours(7092)), NOW)).isEqualTo("295d ago");
        assertThat(StatusPageHtml.ago(NOW.plusSeconds(3), NOW)).isEqualTo("just now");
    }

    @Test
    void givenNoApiToken_whenATargetIsRendered_thenEveryActionIsOffWithTheKeyToSet() {
        String page = target(context(Optional.of(NOW), false), in(RemediationState.AWAITING_APPROVAL, List.of()), true);

        assertThat(page).contains("data-enabled=\"false\"")
                .contains("no API token is configured (guardian.api.token, env GUARDIAN_API_TOKEN)")
                .doesNotContain("id=\"token\"").doesNotContain("data-usable=\"true\"");
    }

    @Test
    void givenNothingAwaitsApproval_whenATargetIsRendered_thenApproveAndRejectAreUnusableAndRemediateIsOffered() {
        String page = target(context(Optional.of(NOW), true), in(RemediationState.FIRING, List.of()), true);

        assertThat(page).contains("data-enabled=\"true\"").contains("id=\"token\"")
                .containsPattern("data-action=\"approve\"[^\\n]*data-usable=\"false\"[^\\n]*nothing waits for approval")
                .containsPattern("data-action=\"reject\"[^\\n]*data-usable=\"false\"")
                .containsPattern("data-action=\"remediate\"[^\\n]*data-usable=\"true\"")
                .containsPattern("data-action=\"rollback\"[^\\n]*data-usable=\"true\"");
        assertThat(page).as("every button disabled until the script runs").doesNotContainPattern("<button(?![^>]*disabled)");
    }

    @Test
    void givenAWaitingRemediation_whenATargetIsRendered_thenApproveAndRejectAreOffered() {
        String page = target(context(Optional.of(NOW), true), in(RemediationState.AWAITING_APPROVAL, List.of()), true);

        assertThat(page).containsPattern("data-action=\"approve\"[^\\n]*data-usable=\"true\"")
                .containsPattern("data-action=\"reject\"[^\\n]*name=\"reason\"[^\\n]*data-usable=\"true\"");
    }

    @Test
    void givenAPastWindow_whenATargetIsRendered_thenNoActionIsOfferedAndTheLiveViewIsLinked() {
        String page = StatusPageHtml.target(context(Optional.of(NOW), true), new StatusPageHtml.Row(TARGET,
                in(RemediationState.AWAITING_APPROVAL, List.of())), List.of(), ChartWindow.ONE_DAY,
                Instant.parse("2026-02-14T03:00:00Z"), false, List.of());

        assertThat(page).contains("Actions act on the present: open the live view.")
                .contains("Signals from 2026-02-13T03:00:00Z to 2026-02-14T03:00:00Z")
                .contains("<a href=\"/targets/orchestrator-dynamic-ml-training?window=1h&amp;until=2026-02-14T03:00:00Z\">1h</a>")
                .contains("<a href=\"/targets/orchestrator-dynamic-ml-training?window=24h\">live</a>");
    }

    @Test
    void givenAHistory_whenATargetIsRendered_thenNewestFirstEachWithItsWindowAndAPostmortemExceptForADryRun() {
        TargetRecord record = in(RemediationState.HEALTHY, List.of(
                ended("r1", HistoryEntry.Outcome.ROLLED_BACK, NOW.minusSeconds(86_400)),
                ended("r2", HistoryEntry.Outcome.DRY_RUN, NOW.minusSeconds(3600))));

        String page = target(context(Optional.of(NOW), true), record, true);

        assertThat(page.indexOf("data-id=\"r2\"")).isLessThan(page.indexOf("data-id=\"r1\""));
        assertThat(page).contains("href=\"/targets/orchestrator-dynamic-ml-training/remediations/r1/postmortem\"")
                .doesNotContain("/remediations/r2/postmortem")
                .contains("?window=6h&amp;until=2026-12-05T10:30:00Z\">signals around it</a>")
                .contains("took 20m");
    }
}
